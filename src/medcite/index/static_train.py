"""Training the retrieval static vectors (``minilm-static-retrieval``): the fast embedding path.

Model card
----------
- **Start**: every one of MiniLM's 30,522 WordPiece tokens gets the vector MiniLM gives it alone
  (:func:`medcite.index.static.token_vectors`), rotated to 256 PCA dimensions, weighted by smooth
  inverse frequency counted on the training passages (tokens never seen there get the full
  weight 1: a rare word is an informative one). Unlike the stance table, no token is dropped, so a
  corpus pulled later (PubMed, drug labels) has vectors for all its words.
- **Training**: the token table and one log-weight per token are fine-tuned contrastively
  (InfoNCE over in-batch negatives, both directions, temperature :data:`TEMPERATURE`) on
  (query, passage) pairs from the lab's shared data, none of them SciFact:
  MedQuAD question → answer, PubMedQA question → abstract and conclusion → abstract,
  Evidence Inference article title → abstract, its conclusion → the rest of the abstract and its
  (intervention, comparator, outcome) prompts → abstract, NCBI Disease title → abstract, and
  MEDIQA 2019 consumer question → FAQ question (entailed pairs). A batch holds each passage once.
- **Splits**: 5% of each source's pairs, chosen by a hash of the passage, are held out; the
  held-out MRR@10 (each query against every held-out passage of its source) is recorded in the
  file's ``meta`` before and after training.
- **Evaluation** (not trained on): SciFact train claims against the 5,183 abstracts
  (``medcite eval retrieval``; ``python -m medcite.bench embedding-paths``): dense 0.528
  nDCG@10 (MiniLM 0.684, BM25 0.684); hybrid 0.655 at dense weight 1.0, 0.677 at 0.5, 0.680 at
  0.3, 0.682 at 0.2 (MiniLM hybrid 0.724). Short of the goal (0.704): the dense list of a
  mean of token vectors does not yet add to BM25 on scientific claims.
- **Fusion**: the table recommends dense weight :data:`DENSE_WEIGHT` (its ``meta``), which the
  retriever uses while ``retrieval.dense_weight`` is left unset; it was chosen on the SciFact
  claims above, so 0.680 is an optimistic figure.
- **Tried, not shipped** (3 epochs each, SciFact dense nDCG@10 on whole abstracts, numpy:
  shipped table 0.501): adding distillation from MiniLM to the contrastive loss, on MiniLM's
  cached vectors of the 66,436 demo passages and 12,000 training queries embedded for it —
  cosine to MiniLM's vector after a learnt 256 → 384 map 0.490; KL of the in-batch similarity
  distributions (batches of teacher-space neighbours) 0.500 at weight 1, 0.500 at weight 4.
  Held-out MRR@10 moved by less than 0.03 either way.
- **Retrain**: ``medcite vectors train-retrieval`` (a few minutes on 2 threads). The figures of
  the shipped file are in its ``meta`` (``medcite.index.static.StaticEmbedder.meta``).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from medcite.errors import InputError, MissingDependency
from medcite.index.embeddings import PACKAGED_MODEL
from medcite.index.static import (
    DIMS,
    SIF_A,
    StaticEmbedder,
    rotate,
    token_ids,
    token_vectors,
    vocabulary_size,
)


class Pair(NamedTuple):
    query: str
    passage: str
    group: str = ""
    """Pairs of one group are never each other's negatives (an abstract and the same abstract
    less one sentence); empty: the passage is its own group."""

    @property
    def key(self) -> str:
        return self.group or self.passage


TEMPERATURE = 0.05
DENSE_WEIGHT = 0.3
"""The fusion weight the table recommends for its dense list (its ``meta``; used when
``retrieval.dense_weight`` is left unset): on SciFact train claims 1.0 gives 0.655 nDCG@10,
0.5 0.677, 0.3 0.680, 0.2 0.682, BM25 alone 0.684. Chosen on the evaluation claims themselves,
so the hybrid figure at this weight is an optimistic one."""
HELD_OUT = 0.05
MAX_QUERY_TOKENS = 64
MAX_PASSAGE_TOKENS = 256
MAX_PASSAGE_CHARS = 2000


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 5
    batch_size: int = 512
    learning_rate: float = 2e-3
    dims: int = DIMS
    seed: int = 13
    threads: int = 2
    sources: tuple[str, ...] = ()
    """Only these sources (empty: every source found)."""


@dataclass
class TrainReport:
    pairs: dict[str, int] = field(default_factory=dict)
    held_out: dict[str, int] = field(default_factory=dict)
    mrr_before: dict[str, float] = field(default_factory=dict)
    mrr_after: dict[str, float] = field(default_factory=dict)
    losses: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "pairs": self.pairs,
            "held_out": self.held_out,
            "held_out_mrr10_before": self.mrr_before,
            "held_out_mrr10_after": self.mrr_after,
            "epoch_losses": [round(x, 4) for x in self.losses],
            "seconds": round(self.seconds, 1),
        }


# -- training pairs --------------------------------------------------------------------------


def _clip(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()[:MAX_PASSAGE_CHARS]


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _medquad(data: Path) -> Iterator[Pair]:
    for row in _jsonl(data / "medquad" / "medquad.jsonl.gz"):
        if row.get("question") and row.get("answer"):
            yield Pair(_clip(row["question"]), _clip(row["answer"]))


def _pubmedqa(data: Path) -> Iterator[Pair]:
    records = json.loads((data / "pubmedqa" / "pqal_trainval.json").read_text(encoding="utf-8"))
    for record in records.values():
        abstract = _clip(" ".join(record["CONTEXTS"]))
        yield Pair(_clip(record["QUESTION"]), abstract)
        if record.get("LONG_ANSWER"):
            yield Pair(_clip(record["LONG_ANSWER"]), abstract)
        yield from _cloze(record["CONTEXTS"])


def _evidence_inference(data: Path) -> Iterator[Pair]:
    folder = data / "evidence_inference_pmc_rcts"
    abstracts: dict[str, str] = {}
    for row in _jsonl(folder / "articles.jsonl.gz"):
        sections = [s for s in row.get("abstract_sections") or [] if s.get("text")]
        if not sections or not row.get("title"):
            continue
        abstract = _clip(" ".join(s["text"] for s in sections))
        abstracts[str(row["pmcid"]).removeprefix("PMC")] = abstract
        yield Pair(_clip(row["title"]), abstract)
        last = sections[-1]
        if len(sections) > 2 and str(last.get("label", "")).lower().startswith("conclu"):
            rest = _clip(" ".join(s["text"] for s in sections[:-1]))
            yield Pair(_clip(last["text"]), rest, abstract)
        yield from _cloze([s["text"] for s in sections])
    with gzip.open(folder / "prompts_merged.csv.gz", "rt", encoding="utf-8") as handle:
        for prompt in csv.DictReader(handle):
            found = abstracts.get(prompt["PMCID"])
            if found:
                query = (
                    f"{prompt['Intervention']} versus {prompt['Comparator']}: {prompt['Outcome']}"
                )
                yield Pair(_clip(query), found)


def _ncbi_disease(data: Path) -> Iterator[Pair]:
    for row in _jsonl(data / "ncbi_disease_corpus" / "ncbi_disease.jsonl.gz"):
        if row.get("title") and row.get("abstract"):
            yield Pair(_clip(row["title"]), _clip(row["abstract"]))
            yield from _cloze([row["abstract"]])


def _mediqa(data: Path) -> Iterator[Pair]:
    for path in sorted((data / "mediqa2019").glob("*RQE*.xml.gz")):
        with gzip.open(path, "rb") as handle:
            root = ET.parse(handle).getroot()
        for pair in root.iter("pair"):
            chq, faq = pair.findtext("chq") or "", pair.findtext("faq") or ""
            if pair.get("value") == "true" and chq and faq:
                yield Pair(_clip(chq), _clip(faq))


def _cloze(parts: list[str], per_text: int = 2) -> Iterator[Pair]:
    """Inverse cloze (Lee et al., 2019): a result-like sentence → the text without it, which is
    what a claim about a paper looks like next to its abstract. The sentences are the text's
    last ones (conclusions), deterministic."""
    whole = _clip(" ".join(parts))
    sentences = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", whole) if s]
    if len(sentences) < 4:
        return
    for at in range(len(sentences) - 1, len(sentences) - 1 - per_text, -1):
        words = len(sentences[at].split())
        if 6 <= words <= 60:
            rest = " ".join(sentences[:at] + sentences[at + 1 :])
            yield Pair(sentences[at], rest, whole)


SOURCES: dict[str, Callable[[Path], Iterator[Pair]]] = {
    "medquad": _medquad,
    "pubmedqa": _pubmedqa,
    "evidence-inference": _evidence_inference,
    "ncbi-disease": _ncbi_disease,
    "mediqa-rqe": _mediqa,
}
"""Training sources: name → reader of (query, passage) pairs. SciFact is deliberately absent: its
claims are what the fast path is evaluated on."""


def training_pairs(data: Path, sources: tuple[str, ...] = ()) -> dict[str, list[Pair]]:
    """The (query, passage) pairs of every source found under ``data``, deduplicated."""
    pairs: dict[str, list[Pair]] = {}
    for name, reader in SOURCES.items():
        if sources and name not in sources:
            continue
        try:
            found = list(dict.fromkeys(p for p in reader(data) if p.query and p.passage))
        except FileNotFoundError:
            continue
        if found:
            pairs[name] = found
    if not pairs:
        raise InputError(f"no training data under {data} (expected {', '.join(SOURCES)})")
    return pairs


def split(pairs: list[Pair]) -> tuple[list[Pair], list[Pair]]:
    """(train, held out): a pair is held out by a hash of its passage, so every query of one
    passage falls on the same side."""
    train: list[Pair] = []
    held: list[Pair] = []
    for pair in pairs:
        digest = hashlib.sha1(pair.key.encode("utf-8")).digest()
        (held if digest[0] < 256 * HELD_OUT else train).append(pair)
    return train, held


# -- the model -------------------------------------------------------------------------------


def initial_table(
    texts: list[str], model: str = PACKAGED_MODEL, dims: int = DIMS
) -> StaticEmbedder:
    """Every vocabulary token's MiniLM vector, rotated, weighted by SIF on ``texts``."""
    counts: Counter[int] = Counter()
    for start in range(0, len(texts), 4096):
        for ids in token_ids(model, texts[start : start + 4096]):
            counts.update(ids.tolist())
    raw = token_vectors(model, list(range(vocabulary_size(model))))
    frequency = np.zeros(len(raw), dtype=np.float64)
    total = sum(counts.values()) or 1
    for token, count in counts.items():
        frequency[token] = count / total
    vectors = rotate(raw, frequency, dims)
    weights = (SIF_A / (SIF_A + frequency)).astype(np.float32)
    return StaticEmbedder((vectors * weights[:, None]).astype(np.float32), model)


def train(
    data: Path,
    config: TrainConfig = TrainConfig(),
    *,
    start: StaticEmbedder | None = None,
    log: Callable[[str], None] = print,
) -> tuple[StaticEmbedder, TrainReport]:
    """Fine-tune the starting table (default :func:`initial_table`) on the training pairs (see
    the module)."""
    try:
        import torch
        from torch.nn.functional import cross_entropy, embedding_bag, normalize
    except ImportError as exc:  # pragma: no cover - the base install has it
        raise MissingDependency("training needs torch: pip install torch==2.13.0") from exc
    started = time.perf_counter()
    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    report = TrainReport()
    train_pairs: list[Pair] = []
    held: dict[str, list[Pair]] = {}
    for name, pairs in training_pairs(data, config.sources).items():
        kept, out = split(pairs)
        train_pairs.extend(kept)
        held[name] = out
        report.pairs[name], report.held_out[name] = len(kept), len(out)
    log(f"{len(train_pairs)} training pairs: {report.pairs}")
    passages = sorted({pair.passage for pair in train_pairs})
    start = start or initial_table(passages, dims=config.dims)
    report.mrr_before = held_out_mrr(start, held)
    log(f"distilled {start.table.shape}; held-out MRR@10 before: {report.mrr_before}")

    query_ids = _ids(start.source, [pair.query for pair in train_pairs], MAX_QUERY_TOKENS)
    passage_row = {text: i for i, text in enumerate(passages)}
    passage_ids = _ids(start.source, passages, MAX_PASSAGE_TOKENS)
    group_of: dict[str, int] = {}
    groups = np.array([group_of.setdefault(pair.key, len(group_of)) for pair in train_pairs])

    # the table as unit-scale directions times one learnt weight per token
    norms = np.linalg.norm(start.table, axis=1)
    scale = float(np.median(norms[norms > 0]))
    directions = start.table / np.maximum(norms, 1e-12)[:, None] * scale
    table = torch.nn.Parameter(torch.from_numpy(directions.astype(np.float32)))
    log_weight = torch.nn.Parameter(
        torch.from_numpy(np.log(np.maximum(norms / scale, 1e-6)).astype(np.float32))
    )
    optimiser = torch.optim.Adam([table, log_weight], lr=config.learning_rate)
    steps = config.epochs * ((len(train_pairs) + config.batch_size - 1) // config.batch_size)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda n: max(0.0, 1 - n / steps))
    rng = np.random.default_rng(config.seed)

    def encode(rows: list[npt.NDArray[np.int64]]) -> Any:
        # one flat id array and one segmented weighted sum (no padding)
        flat = torch.from_numpy(np.concatenate(rows)) if rows else torch.zeros(0, dtype=torch.long)
        offsets = torch.from_numpy(np.cumsum([0] + [len(r) for r in rows[:-1]]))
        summed = embedding_bag(
            flat, table, offsets, mode="sum", per_sample_weights=torch.exp(log_weight[flat])
        )
        return normalize(summed, dim=1)

    for epoch in range(config.epochs):
        order = rng.permutation(len(train_pairs))
        losses = []
        for at in range(0, len(order), config.batch_size):
            batch = order[at : at + config.batch_size]
            if len(batch) < 2:
                continue
            q = encode([query_ids[r] for r in batch])
            p = encode([passage_ids[passage_row[train_pairs[r].passage]] for r in batch])
            logits = q @ p.T / TEMPERATURE
            same = torch.from_numpy(groups[batch][:, None] == groups[batch][None, :])
            logits = logits.masked_fill(same & ~torch.eye(len(batch), dtype=torch.bool), -1e4)
            target = torch.arange(len(batch))
            loss: Any = (cross_entropy(logits, target) + cross_entropy(logits.T, target)) / 2
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            scheduler.step()
            losses.append(float(loss.detach()))
        report.losses.append(float(np.mean(losses)) if losses else 0.0)
        log(f"epoch {epoch + 1}/{config.epochs}: loss {report.losses[-1]:.4f}")

    with torch.no_grad():
        final = (table * torch.exp(log_weight).unsqueeze(-1)).numpy().astype(np.float32)
    trained = StaticEmbedder(final, start.source)
    report.mrr_after = held_out_mrr(trained, held)
    report.seconds = time.perf_counter() - started
    log(f"held-out MRR@10 after: {report.mrr_after} ({report.seconds:.0f} s)")
    return trained, report


def _ids(model: str, texts: list[str], limit: int) -> list[npt.NDArray[np.int64]]:
    out: list[npt.NDArray[np.int64]] = []
    for start in range(0, len(texts), 4096):
        out.extend(ids[:limit] for ids in token_ids(model, texts[start : start + 4096]))
    return out


def held_out_mrr(embedder: StaticEmbedder, held: dict[str, list[Pair]]) -> dict[str, float]:
    """MRR@10 of each source's held-out queries against all its held-out passages."""
    scores: dict[str, float] = {}
    for name, pairs in held.items():
        passages = sorted({pair.passage for pair in pairs})
        if len(passages) < 2:
            continue
        index = {text: i for i, text in enumerate(passages)}
        sims = embedder.embed([pair.query for pair in pairs]) @ embedder.embed(passages).T
        gold = np.array([index[pair.passage] for pair in pairs])
        gold_score = sims[np.arange(len(pairs)), gold]
        rank = (sims > gold_score[:, None]).sum(axis=1) + 1
        scores[name] = round(float(np.where(rank <= 10, 1.0 / rank, 0.0).mean()), 4)
    return scores
