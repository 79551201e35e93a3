"""Typed errors with messages a consultant understands. The UI and CLI show `str(error)`; nobody
prints a traceback at a user."""


class AdvisorError(Exception):
    """Base of every error meant to be shown to a user as one clear message."""


def _one_line(text: str) -> str:
    """A hostile file's key or value may hold line breaks; a message is always one line."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


class AssessmentFileError(AdvisorError):
    """A file could not be opened or saved as an assessment (damaged, foreign, newer, wrong password)."""

    def __init__(self, message: str, *, path: str | None = None, field: str | None = None):
        self.path = path
        self.field = _one_line(field) if field else field
        parts = [_one_line(message)]
        if self.field:
            parts.append(f"(field: {self.field})")
        super().__init__(" ".join(parts))


class PasswordRequiredError(AssessmentFileError):
    """The file is encrypted and no password was given."""


class FileConflictError(AssessmentFileError):
    """The file on disk is not the version this document was opened from or last saved as: another
    instance or program saved it since. Overwriting would lose that save."""


class QuestionnaireError(AdvisorError):
    """A questionnaire file is malformed: names the file, the question id and what is wrong."""


class CatalogError(AdvisorError):
    """A catalog file (GPUs, models, API prices, assumptions) is malformed."""


class BrandError(AdvisorError):
    """A brand profile or logo cannot be used."""


class ReportError(AdvisorError):
    """The PDF report could not be produced (template error, unwritable destination...)."""


class UnknownIdError(AdvisorError):
    """An id (model, GPU, precision, engine...) is not in the catalog; the message lists the known ids."""

    def __init__(self, kind: str, given: str, known: list[str]):
        self.kind, self.given, self.known = kind, given, sorted(known)
        super().__init__(f"unknown {kind} '{given}'. Known {kind}s: {', '.join(self.known)}")
