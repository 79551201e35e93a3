"""What the headless subcommands share: opening an assessment file given on the command line, with the
password of an encrypted file from --password-file or a terminal prompt."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from app.domain.assessment import Assessment
from app.domain.errors import AssessmentFileError, PasswordRequiredError
from app.storage.assessment_files import load_assessment

# A password file holds one password; anything bigger is the wrong file.
MAX_PASSWORD_FILE_BYTES = 4096


def add_file_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="assessment file (.llmassess)")


def add_password_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--password-file", type=Path, metavar="FILE",
                        help="read the password of an encrypted assessment from FILE (first line); without it "
                             "you are asked in the terminal")


def open_assessment(args: argparse.Namespace) -> Assessment:
    """Load the assessment named by args.file. An encrypted file takes its password from
    --password-file, else from a terminal prompt; with neither, PasswordRequiredError (exit 2).
    Every AssessmentFileError reaches the dispatcher (exit 2, one message)."""
    return open_assessment_and_password(args)[0]


def open_assessment_and_password(args: argparse.Namespace) -> tuple[Assessment, str | None]:
    """open_assessment, and the password that opened it (None for a plain file): what is derived from
    a protected assessment is protected with it by default."""
    try:
        return load_assessment(args.file), None
    except PasswordRequiredError:
        password = _password_for(args)
        return load_assessment(args.file, password=password), password


def _password_for(args: argparse.Namespace) -> str:
    password_file = getattr(args, "password_file", None)
    if password_file is not None:
        return read_password_file(password_file)
    if sys.stdin.isatty():
        try:
            return getpass.getpass(f"Password for {args.file.name}: ")
        except EOFError:  # Ctrl-D at the prompt: the same as giving no password
            pass
    raise PasswordRequiredError(f"{args.file.name} is encrypted: a password is needed. Give it with "
                                "--password-file FILE, or run the command in a terminal to be asked.",
                                path=str(args.file))


def read_password_file(path: Path) -> str:
    """The first line of the file, without its line ending (editors add one)."""
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(MAX_PASSWORD_FILE_BYTES + 1)
        if len(data) > MAX_PASSWORD_FILE_BYTES:
            raise AssessmentFileError(f"the password file {path} is too large to hold a password")
        return data.decode("utf-8").splitlines()[0] if data else ""
    except UnicodeDecodeError:
        raise AssessmentFileError(f"the password file {path} is not UTF-8 text") from None
    except OSError as error:
        raise AssessmentFileError(f"cannot read the password file {path} ({error.strerror or error})") from None
