"""MedCite's exception hierarchy; the CLI and web layers map these to clear messages.

MedCiteError
├── ConfigError        bad settings file or environment value
├── InputError         a user's query or option is unusable (empty, too long, control chars)
├── IngestError        a file could not be read at all (not a single bad record)
│   └── PullError      a source could not be fetched or a download failed its check
├── StoreError         the database is missing, locked or from another version
└── MissingDependency  an optional extra is not installed (message names the install command)
"""


class MedCiteError(Exception):
    """Base class: every error MedCite raises on purpose."""


class ConfigError(MedCiteError):
    pass


class InputError(MedCiteError):
    """Unusable user input; ``code`` is a stable machine-readable name for APIs."""

    def __init__(self, message: str, code: str = "invalid_input") -> None:
        super().__init__(message)
        self.code = code


class IngestError(MedCiteError):
    pass


class PullError(IngestError):
    """A source answered with an error after every retry, or a download failed its check."""


class StoreError(MedCiteError):
    pass


class MissingDependency(MedCiteError):
    pass
