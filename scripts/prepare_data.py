"""Rebuild ``data/`` (the shipped demo corpus) from ``../shared/data``.

Only records whose licence allows redistribution are copied (see data/NOTICE). Run once by a
maintainer; `make demo` uses the committed files and never needs ../shared.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
DATA = ROOT / "data"
OPEN_LICENCES = {"CC BY", "CC0", "public domain"}


def gz_copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if src.suffix == ".gz":
        shutil.copyfile(src, dest)
        return
    with src.open("rb") as fin, dest.open("wb") as raw, gzip.GzipFile(
        fileobj=raw, mode="wb", compresslevel=9, mtime=0
    ) as fout:
        shutil.copyfileobj(fin, fout)


def filter_jsonl(src: Path, dest: Path, keep: object) -> int:
    dest.parent.mkdir(parents=True, exist_ok=True)
    kept = 0
    opener = gzip.open if src.suffix == ".gz" else open
    with opener(src, "rt", encoding="utf-8") as fin, dest.open("wb") as raw, gzip.GzipFile(
        fileobj=raw, mode="wb", compresslevel=9, mtime=0
    ) as fout:
        for line in fin:
            record = json.loads(line)
            if keep(record):  # type: ignore[operator]
                fout.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
                kept += 1
    return kept


def main() -> int:
    if not SHARED.is_dir():
        print(f"no {SHARED}; nothing to do", file=sys.stderr)
        return 1
    corpus = DATA / "corpus"
    print("medquad", filter_jsonl(SHARED / "medquad/medquad.jsonl.gz", corpus / "medquad_answers.jsonl.gz",
                                  lambda r: bool(r.get("answer"))))
    print("evidence_inference", filter_jsonl(
        SHARED / "evidence_inference_pmc_rcts/articles.jsonl.gz",
        corpus / "evidence_inference_open.jsonl.gz",
        lambda r: r.get("license") in OPEN_LICENCES and bool(r.get("abstract_sections")),
    ))
    gz_copy(SHARED / "pubmedqa/pqal_trainval.json", corpus / "pubmedqa_pqal_trainval.json.gz")
    gz_copy(SHARED / "scifact/corpus.jsonl.gz", corpus / "scifact_corpus.jsonl.gz")
    gz_copy(SHARED / "ngc_guidelines_public_domain/ngc_guidelines.jsonl", corpus / "ngc_guidelines.jsonl.gz")
    gz_copy(SHARED / "uspstf_recommendations/uspstf_specific_recommendations_2021.json",
            corpus / "uspstf_recommendations.json.gz")
    gz_copy(SHARED / "ncbi_disease_corpus/ncbi_disease.jsonl.gz", corpus / "ncbi_disease.jsonl.gz")
    for sample in sorted((SHARED / "pubmed_xml_samples").glob("*/*.xml*")):
        if sample.parent.name in {"pubmed_baseline_2026", "medline_baseline"} or sample.name.startswith("pubmed"):
            name = sample.name if sample.suffix == ".gz" else sample.name + ".gz"
            gz_copy(sample, corpus / "pubmed" / name)
    vocab = DATA / "vocab"
    gz_copy(SHARED / "mesh_descriptors/mesh_descriptors.jsonl.gz", vocab / "mesh_descriptors.jsonl.gz")
    gz_copy(SHARED / "lay_glossaries/cancer_gov_glossary.jsonl.gz", vocab / "nci_glossary.jsonl.gz")
    gz_copy(SHARED / "lay_glossaries/cancer_gov_genetics_glossary.jsonl", vocab / "nci_genetics_glossary.jsonl.gz")
    gz_copy(SHARED / "lay_glossaries/cdc_11500_DS1_glossary.jsonl", vocab / "cdc_plain_language.jsonl.gz")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
