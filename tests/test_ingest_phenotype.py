"""GARD's phenotype table told as sentences (:mod:`medcite.ingest.phenotype`), on the real
Papillon-Lefèvre syndrome answer of MedQuAD (CC BY 4.0)."""

from __future__ import annotations

from medcite.answer.sentences import extract
from medcite.ingest.phenotype import TABLE_HEADER, ToldSigns, tell_phenotype_table, told_signs
from medcite.records import Document, EvidenceType, Hit, Passage

PAPILLON_LEFEVRE = (
    "What are the signs and symptoms of Papillon Lefevre syndrome? The Human Phenotype Ontology"
    " provides the following list of signs and symptoms for Papillon Lefevre syndrome. If the"
    " information is available, the table below includes how often the symptom is seen in people"
    " with this condition. You can use the MedlinePlus Medical Dictionary to look up the"
    " definitions for these medical terms. Signs and Symptoms Approximate number of patients"
    " (when available) Abnormality of the fingernails 90% Gingivitis 90% Palmoplantar keratoderma"
    " 90% Periodontitis 90% Premature loss of primary teeth 90% Pustule 90% Reduced number of"
    " teeth 90% Cerebral calcification 50% Recurrent respiratory infections 50% Skin ulcer 50%"
    " Arachnodactyly 7.5% Hypertrichosis 7.5% Hypopigmented skin patches 7.5% Liver abscess 7.5%"
    " Melanoma 7.5% Neoplasm of the skin 7.5% Osteolysis 7.5% Atrophy of alveolar ridges -"
    " Autosomal recessive inheritance - Choroid plexus calcification - Palmoplantar hyperkeratosis"
    " - Premature loss of teeth - Severe periodontitis - The Human Phenotype Ontology (HPO) has"
    " collected information on how often a sign or symptom occurs in a condition. Much of this"
    " information comes from Orphanet, a European rare disease database."
)


def test_each_frequency_of_the_table_is_a_sentence_on_the_condition() -> None:
    told = tell_phenotype_table(PAPILLON_LEFEVRE, "Papillon Lefevre syndrome")
    assert TABLE_HEADER not in told
    assert (
        "Signs and symptoms of Papillon Lefevre syndrome seen in approximately 90% of patients"
        " include abnormality of the fingernails, gingivitis, palmoplantar keratoderma,"
        " periodontitis, premature loss of primary teeth, pustule and reduced number of teeth."
    ) in told
    assert "seen in approximately 7.5% of patients include arachnodactyly," in told
    assert (
        "Other signs and symptoms of Papillon Lefevre syndrome (how often is not known) include"
        " atrophy of alveolar ridges, choroid plexus calcification,"
    ) in told
    assert "inheritance" not in told  # how it is passed on is no sign
    # the text around the table is kept as it was
    assert told.startswith("What are the signs and symptoms of Papillon Lefevre syndrome?")
    assert told.endswith("comes from Orphanet, a European rare disease database.")


def test_a_table_without_frequencies_lists_its_signs_and_not_the_condition_itself() -> None:
    answer = (
        f"{TABLE_HEADER} Abetalipoproteinemia - Acanthocytosis - Aplasia/Hypoplasia of the"
        " nipples - EEG abnormality - Tetralogy of Fallot - Autosomal recessive inheritance - "
    )
    told = tell_phenotype_table(answer, "Abetalipoproteinemia")
    assert told == (
        "Signs and symptoms of Abetalipoproteinemia include acanthocytosis, aplasia/hypoplasia"
        " of the nipples, EEG abnormality and tetralogy of Fallot."
    )


def test_a_long_frequency_is_told_in_sentences_a_reader_may_cite() -> None:
    signs = " ".join(f"Abnormality of the left digit number {n} 90%" for n in range(12))
    told = tell_phenotype_table(f"{TABLE_HEADER} {signs}", "Example syndrome")
    document = Document(
        "d", "What are the symptoms of Example syndrome ?", EvidenceType.CONSUMER_HEALTH, "medquad"
    )
    passage = Passage("d#0", "d", 0, "symptoms", told)
    sentences = extract([Hit(1, 1.0, passage, document)])
    assert len(sentences) >= 2  # every sentence short enough to be evidence
    assert all(s.text.startswith("Signs and symptoms of Example syndrome") for s in sentences)
    assert "also include" in sentences[1].text
    assert sum(s.text.count("Abnormality") + s.text.count("abnormality") for s in sentences) == 12


def test_an_answer_without_a_table_is_unchanged() -> None:
    text = "Sialidosis is a severe inherited disorder that affects many organs and tissues."
    assert tell_phenotype_table(text, "Sialidosis") == text


def test_a_told_sentence_is_recognised_with_its_condition_and_frequency() -> None:
    told = tell_phenotype_table(PAPILLON_LEFEVRE, "Papillon Lefevre syndrome")
    document = Document("d", "t", EvidenceType.CONSUMER_HEALTH, "medquad")
    hit = Hit(1, 1.0, Passage("d#0", "d", 0, "symptoms", told), document)
    found = {s.text: told_signs(s.text) for s in extract([hit])}
    signs = [t for t in found.values() if t is not None]
    assert {t.condition for t in signs} == {"Papillon Lefevre syndrome"}
    assert [t.percent for t in signs] == [90.0, 50.0, 7.5, None]  # None: how often not known
    assert told_signs("Signs and symptoms of X seen in 47/47 of patients include a and b.") == (
        ToldSigns("X", 100.0)
    )
    assert told_signs("Symptoms of Behcet's disease include recurrent ulcers in the mouth.") is None
    bare = told_signs("Signs and symptoms of X include a and b.")  # a table with no frequencies
    assert bare == ToldSigns("X", 100.0, weighed=False)
    assert [t.weighed for t in signs] == [True, True, True, True]
