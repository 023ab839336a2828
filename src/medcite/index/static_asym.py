"""The asymmetric fast path (``minilm-static-asym``): static passage vectors, MiniLM questions.

Model card
----------
- **Why**: passages are what must be embedded fast (a million of them); a question is embedded
  once per search, so it keeps MiniLM (~12 ms). The table is trained so that a passage's static
  vector lands where MiniLM would put it, and MiniLM's question vectors then search it.
- **Start**: the ``minilm-static-retrieval`` table (30,522 tokens x 256), times the least-squares
  map (ridge 0.01) from its passage vectors to MiniLM's, which gives a 384-dimension table.
- **Training**: the table and one log-weight per token are fine-tuned to minimise
  ``1 - cos(static passage vector, MiniLM passage vector)`` (Adam, lr 2e-3 decaying to 0,
  batches of 512, 10 epochs) on the 66,436 demo passages, whose MiniLM vectors ship in
  ``data/vectors/demo-minilm-int8.npz``. Those passages include the SciFact abstracts (as
  distillation targets only; no SciFact claim or qrel is used). Contrastive training on MiniLM
  questions from :mod:`medcite.index.static_train`'s pairs was tried and lowered SciFact dense
  nDCG@10 (0.603 against 0.633 on whole abstracts).
- **Splits**: passages whose SHA-1's first byte is below 13 (~5%) are held out; their mean
  cosine to MiniLM is in the file's ``meta`` (0.85 before training, 0.90 after).
- **Evaluation** (SciFact train claims, 5,183 abstracts, ``medcite eval retrieval``): dense
  0.646 nDCG@10, hybrid 0.707 at dense weight 1.0 and 0.710 at 0.5 (MiniLM: 0.684 and 0.724;
  ``minilm-static-retrieval``: 0.528 and 0.680), in the file's ``meta``. The SciFact abstracts
  are among the targets: with them left out of a ridge map alone, dense fell by ~0.01; an
  unseen corpus may score a little lower. Dense weight 0.5 (``meta``) was chosen on these
  claims. Passages: ~1,900/s on 2 cores (the tokenizer); a question: MiniLM's ~12 ms.
- **Retrain**: ``medcite vectors train-asym`` (~3 minutes on 2 threads).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from medcite.index.embeddings import PACKAGED_MODEL
from medcite.index.static import StaticEmbedder, token_ids

F32 = npt.NDArray[np.float32]
HELD_OUT_BYTE = 13
MAX_TOKENS = 256
"""MiniLM reads a passage's first 256 word pieces; the targets were made that way."""


def demo_targets(cache: Path) -> tuple[list[str], F32]:
    """The demo passages' texts and their cached MiniLM vectors (the demo corpus ingested into a
    temporary store, matched to the cache by text key)."""
    import tempfile

    from medcite.corpus import demo_paths
    from medcite.ingest.pipeline import ingest_paths
    from medcite.settings import Settings
    from medcite.store.sqlite import open_store
    from medcite.store.vectors import load_cache

    cached = load_cache(cache, PACKAGED_MODEL)
    texts: list[str] = []
    vectors: list[F32] = []
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "demo.sqlite") as store:
        for path, fmt in demo_paths():
            ingest_paths(store, [path], Settings().chunk, fmt=fmt, progress=False)
        for key, text in store.missing_vectors("none"):
            if key in cached:
                texts.append(text)
                vectors.append(cached[key])
    return texts, np.stack(vectors).astype(np.float32)


def train_asym(
    texts: list[str],
    targets: F32,
    start: StaticEmbedder,
    *,
    epochs: int = 10,
    learning_rate: float = 2e-3,
    batch_size: int = 512,
    seed: int = 13,
    threads: int = 2,
    log: Callable[[str], None] = print,
) -> tuple[StaticEmbedder, dict[str, Any]]:
    """Fit ``start``'s passage vectors to ``targets`` (see the module)."""
    import torch
    from torch.nn.functional import embedding_bag, normalize

    started = time.perf_counter()
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    ids = [row[:MAX_TOKENS] for row in token_ids(start.source, texts)]
    held = np.array([hashlib.sha1(t.encode()).digest()[0] < HELD_OUT_BYTE for t in texts])
    x = start.embed(texts)
    ridge = x[~held].T @ x[~held] + 0.01 * np.eye(x.shape[1])
    mapping = np.linalg.solve(ridge, x[~held].T @ targets[~held])
    table0 = (start.table @ mapping).astype(np.float32)
    norms = np.linalg.norm(table0, axis=1)
    scale = float(np.median(norms[norms > 0]))
    table = torch.nn.Parameter(torch.from_numpy(table0 / np.maximum(norms, 1e-12)[:, None] * scale))
    log_weight = torch.nn.Parameter(
        torch.from_numpy(np.log(np.maximum(norms / scale, 1e-6)).astype(np.float32))
    )
    goal = normalize(torch.from_numpy(targets), dim=1)
    optimiser = torch.optim.Adam([table, log_weight], lr=learning_rate)
    train_rows = np.flatnonzero(~held)
    steps = max(1, epochs * (len(train_rows) // batch_size))
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda n: max(0.0, 1 - n / steps))

    def encode(rows: list[npt.NDArray[np.int64]]) -> Any:
        flat = torch.from_numpy(np.concatenate(rows))
        offsets = torch.from_numpy(np.cumsum([0] + [len(r) for r in rows[:-1]]))
        summed = embedding_bag(
            flat, table, offsets, mode="sum", per_sample_weights=torch.exp(log_weight[flat])
        )
        return normalize(summed, dim=1)

    def held_cosine() -> float:
        rows = np.flatnonzero(held)
        if not len(rows):
            return 0.0
        with torch.no_grad():
            return float((encode([ids[r] for r in rows]) * goal[rows]).sum(1).mean())

    before = held_cosine()
    log(f"{len(train_rows)} passages, {int(held.sum())} held out; held-out cosine {before:.4f}")
    rng = np.random.default_rng(seed)
    losses: list[float] = []
    for epoch in range(epochs):
        order = rng.permutation(train_rows)
        epoch_losses = []
        for at in range(0, len(order) - batch_size + 1, batch_size):
            batch = order[at : at + batch_size]
            loss = (1 - (encode([ids[r] for r in batch]) * goal[batch]).sum(1)).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            scheduler.step()
            epoch_losses.append(float(loss.detach()))
        losses.append(float(np.mean(epoch_losses)) if epoch_losses else 0.0)
        log(f"epoch {epoch + 1}/{epochs}: loss {losses[-1]:.4f}")
    after = held_cosine()
    with torch.no_grad():
        final = (table * torch.exp(log_weight).unsqueeze(-1)).numpy().astype(np.float32)
    seconds = time.perf_counter() - started
    log(f"held-out cosine after: {after:.4f} ({seconds:.0f} s)")
    report = {
        "passages": len(train_rows),
        "held_out": int(held.sum()),
        "held_out_cosine_before": round(before, 4),
        "held_out_cosine_after": round(after, 4),
        "epoch_losses": [round(x, 4) for x in losses],
        "config": {
            "epochs": epochs,
            "learning_rate": learning_rate,
            "batch_size": batch_size,
            "seed": seed,
            "threads": threads,
        },
        "seconds": round(seconds, 1),
    }
    return StaticEmbedder(final, start.source), report
