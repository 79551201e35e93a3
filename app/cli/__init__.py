"""`llm-advisor`: the GUI (`llm-advisor [FILE]`) and the headless subcommands.

Subcommands never import Qt: the GUI is reached through a lazy import of app.ui, so `validate`,
`size`, `evaluate` and `report` start fast and run on machines without a display."""

from __future__ import annotations

import argparse
import importlib
import sys

from app import APP_NAME, __version__
from app.domain.errors import AdvisorError

# name -> module under app.cli; each module has register(subparsers) that sets `handler` on its parser.
SUBCOMMANDS = {
    "validate": "app.cli.validate",
    "questionnaire": "app.cli.questionnaire",
    "size": "app.cli.size",
    "evaluate": "app.cli.evaluate",
    "report": "app.cli.report",
    "export": "app.cli.export",
    "compare": "app.cli.compare",
    "usage": "app.cli.usage",
    "catalog": "app.cli.catalog",
}
EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def _available_subcommands() -> dict[str, object]:
    modules = {}
    for name, module_name in SUBCOMMANDS.items():
        try:
            modules[name] = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:  # a real missing dependency must not hide
                raise
    return modules


def _subcommand_parser(modules: dict[str, object]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="llm-advisor", description=f"{APP_NAME} {__version__} - command line")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in modules.values():
        module.register(subparsers)
    return parser


def _gui_parser(modules: dict[str, object]) -> argparse.ArgumentParser:
    commands = "\n".join(f"  {name:<15}{getattr(m, 'SUMMARY', '')}" for name, m in modules.items())
    parser = argparse.ArgumentParser(
        prog="llm-advisor",
        description=f"{APP_NAME} {__version__}. Without a command, opens the desktop app.",
        epilog=f"commands (run `llm-advisor COMMAND --help`):\n{commands}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", nargs="?", help="assessment file (.llmassess) to open")
    parser.add_argument("--startup-check", action="store_true",
                        help="start the GUI without dialogs, print startup_ms=<int> once painted, exit")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


MAX_ERROR_CHARS = 400  # an error line quotes no huge expression or label in full


def error_line(command: str, message: str) -> str:
    """`llm-advisor COMMAND: message` as exactly one line of bounded length."""
    text = " ".join(message.split())
    if len(text) > MAX_ERROR_CHARS:
        text = text[:MAX_ERROR_CHARS - 1] + "…"
    return f"llm-advisor {command}: {text}"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in SUBCOMMANDS:
        modules = _available_subcommands()
        args = _subcommand_parser(modules).parse_args(argv)
        try:
            return int(args.handler(args) or EXIT_OK)
        except AdvisorError as error:
            print(error_line(args.command, str(error)), file=sys.stderr)
            return EXIT_USAGE
        except (RecursionError, MemoryError, ValueError, TypeError, OverflowError) as error:
            # A hostile input that got past the checks: still one line, never a traceback (and never the
            # input itself, which may be huge or the client's).
            print(error_line(args.command, f"cannot process this input ({type(error).__name__})"), file=sys.stderr)
            return EXIT_USAGE
        except KeyboardInterrupt:
            return 130
    gui_arguments = _plain_gui_arguments(argv)
    if gui_arguments is None:
        # The command list is only needed for --help; the GUI path skips importing every subcommand.
        wants_help = any(a in ("-h", "--help") for a in argv)
        args = _gui_parser(_available_subcommands() if wants_help else {}).parse_args(argv)
        gui_arguments = {"file": args.file, "startup_check": args.startup_check}
    gui = importlib.import_module("app.ui.main")  # lazy: only the GUI path loads Qt
    return gui.run_gui(**gui_arguments)


def _plain_gui_arguments(argv: list[str]) -> dict[str, object] | None:
    """`llm-advisor`, `llm-advisor FILE` and `llm-advisor --startup-check`, read without building a parser
    (about 1 ms on the way to the first window); anything else (help, version, a mistake) is argparse's."""
    if argv == ["--startup-check"]:
        return {"file": None, "startup_check": True}
    if len(argv) <= 1 and not any(argument.startswith("-") for argument in argv):
        return {"file": argv[0] if argv else None, "startup_check": False}
    return None
