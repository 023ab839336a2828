"""A consumer page of the asked kind, its sentences read in their page: they rarely name its
topic ("the disease"), so read alone they score low for the question they answer; a consumer's long
message about the page's topic and kind is answered by the page's opening (MEDIQA validation:
"… Please introduce me any way to treat my eyes …" about retinitis pigmentosa abstained or
quoted a gene page). Pages and message written for the test, in MedlinePlus's shape."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from medcite.answer.engine import Engine
from medcite.answer.model import Verdict
from medcite.answer.read import heading_kind
from medcite.eval.mediqa import _heading
from medcite.index.build import embed_missing
from medcite.index.embeddings import Embedder
from medcite.ingest.pipeline import IngestReport, ingest_items
from medcite.records import Document, EvidenceType, Section, SourceDocument
from medcite.settings import Settings
from medcite.store.sqlite import open_store

PAGES = {
    "rp-treatment": (
        "Retinitis pigmentosa",
        "Treatment",
        "Available treatments aim to slow the progression of the disease and include light"
        " avoidance and the use of low-vision aids. Some practitioners also consider vitamin A"
        " supplements. Stem cell transplantation and gene therapy are being studied in"
        " clinical trials.",
    ),
    "rp-causes": (
        "Retinitis pigmentosa",
        "Causes",
        "Mutations in more than 60 genes are known to cause retinitis pigmentosa. Many of"
        " these genes play a role in the light-sensing cells of the retina. It is unclear how"
        " these changes lead to the loss of photoreceptors.",
    ),
    "glaucoma-treatment": (
        "Glaucoma",
        "Treatment",
        "Eye drops that lower the pressure in the eye are the usual first treatment of"
        " glaucoma. Laser treatment or surgery may be needed when drops do not work.",
    ),
    "sickle-what": (
        "Sickle cell anemia",
        "",
        "Sickle cell anemia is an inherited form of anemia, a condition in which there aren't"
        " enough healthy red blood cells to carry oxygen throughout your body. The red blood"
        " cells become rigid and sticky and are shaped like sickles.",
    ),
    "sickle-tests": (
        "How to diagnose Sickle cell anemia?",
        "",
        "Tests commonly done to diagnose and monitor patients with sickle cell anemia include: -"
        " Bilirubin - Blood oxygen saturation - Complete blood count (CBC) - Hemoglobin"
        " electrophoresis - Serum creatinine - Urinalysis",
    ),
}

STORY = (
    "Hi, I have had retinitis pigmentosa for 3 years and I am suffering from this disease."
    " Please tell me any way to treat my eyes, such as stem cells. I am 25 years old and I"
    " only have central vision left. Please help me, thank you."
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Engine]:
    path = Path(tmp_path_factory.mktemp("pages")) / "pages.sqlite"
    settings = Settings().with_store(path)
    sources = [
        SourceDocument(
            Document(
                id=f"test:{key}",
                title=title,
                evidence_type=EvidenceType.CONSUMER_HEALTH,
                source="test",
            ),
            (Section(heading, text),),
        )
        for key, (title, heading, text) in PAGES.items()
    ]
    with open_store(path) as store:
        ingest_items(store, sources, settings.chunk, IngestReport())
        embed_missing(store, embedder, settings.embedding, progress=False)
        yield Engine(store, settings, embedder=embedder)


def test_a_story_is_answered_by_the_page_of_its_kind(engine: Engine) -> None:
    answer = engine.answer(STORY, save=False)
    assert answer.bottom_line.verdict is not Verdict.INSUFFICIENT
    assert answer.bottom_line.text in PAGES["rp-treatment"][2]  # its best sentence, else its
    # opening
    cited = {ref.n: ref.doc_id for ref in answer.references}
    assert [cited[n] for n in answer.bottom_line.citations] == ["test:rp-treatment"]
    assert "test:glaucoma-treatment" not in cited.values()  # another topic's page of the kind


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("treatment", "treatment"),  # MedQuAD's own label
        ("Exams and Tests", "exams and tests"),
        ("Diagnosis", "exams and tests"),
        ("Outlook (Prognosis)", "outlook"),
        ("Treatments and Therapies", "treatment"),
        ("Drug Treatment", "treatment"),
        ("Who gets it? Who gets gout?", "susceptibility"),
        ("Therapeutic drug levels, Therapeutic drug monitoring", None),
        ("When to Contact a Medical Professional", None),
        (None, None),
    ],
)
def test_a_page_heading_is_read_as_its_kind(heading: str | None, kind: str | None) -> None:
    assert heading_kind(heading) == kind


def test_a_mediqa_candidate_title_carries_its_heading() -> None:
    assert _heading("Idiopathic achalasia (Treatment)") == "Treatment"
    assert _heading("Lung cancer (Lung cancer, Cancer - lung)") is None  # synonyms
    assert _heading("Achalasia") is None


def test_a_list_of_tests_does_not_say_what_a_thing_is(engine: Engine) -> None:
    # MEDIQA Alexa's "What is Sickle Cell Anemia?" led with "Tests commonly done … include: -
    # Bilirubin - …", judged 2 of 4
    answer = engine.answer("What is sickle cell anemia?", save=False)
    assert answer.bottom_line.text.startswith("Sickle cell anemia is an inherited form of anemia")
