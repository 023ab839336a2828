"""The optional LLM writer: rewrites an extractive Answer as prose through any OpenAI-compatible
chat-completions endpoint, then verifies every sentence against the passages it cites.

The engine's answer is the plan and the evidence; the model only words it. Whatever the model
writes, a sentence reaches the answer only if it passes :mod:`medcite.writer.verify`; any
failure of the endpoint leaves the extractive answer, saying so in ``Answer.writer``.
"""

from medcite.writer.client import ChatClient, WriterError
from medcite.writer.verify import Check, Verifier
from medcite.writer.writer import WriteResult, write, write_with_report

__all__ = [
    "ChatClient",
    "Check",
    "Verifier",
    "WriteResult",
    "WriterError",
    "write",
    "write_with_report",
]
