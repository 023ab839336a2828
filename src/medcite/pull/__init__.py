"""``medcite pull``: real sources fetched, verified, parsed and ingested, resumably.

One module per source, each behind :class:`medcite.pull.base.Source` (plan → download →
verify → parse → ingest): :mod:`~medcite.pull.pubmed` (E-utilities),
:mod:`~medcite.pull.pubmed_files` (baseline and update files), :mod:`~medcite.pull.labels`
(openFDA and DailyMed drug labels), :mod:`~medcite.pull.medlineplus` (health topics)."""
