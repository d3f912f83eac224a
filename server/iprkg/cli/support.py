"""What the ``iprkg`` commands share: exit codes, options, progress, settings and the
readable report of the build's errors."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from iprkg.core.settings import LANGUAGES, Settings, SettingsError

if TYPE_CHECKING:  # the build's modules load only for build and validate: serve starts faster
    from iprkg.build.validation import NodeNames, Violation

EXIT_VIOLATIONS = 1
EXIT_UNREADABLE = 2
EXIT_UNWRITABLE = 3

Command = TypeVar("Command", bound=Callable[..., Any])


def source_options(command: Command) -> Command:
    """Options shared by the commands that read the sources."""
    command = click.option(
        "--lang",
        type=click.Choice(LANGUAGES),
        default=None,
        help="Language of validation messages [default: IPRKG_LANG, else en].",
    )(command)
    return click.option(
        "--base",
        metavar="IRI",
        default=None,
        help="Base IRI that relative IRIs in the sources resolve against "
        "[default: IPRKG_BASE, else https://w3id.org/iprkg/].",
    )(command)


def dist_option(purpose: str) -> Callable[[Command], Command]:
    """``--dist PATH``: the artefact's folder, for ``purpose`` (its help). A path given on
    the command line is relative to the current folder, not to the project root, so it is
    made absolute here."""

    def absolute(
        context: click.Context, parameter: click.Parameter, value: str | None
    ) -> str | None:
        return None if value is None else os.path.abspath(value)

    return click.option(
        "--dist",
        metavar="PATH",
        default=None,
        callback=absolute,
        help=f"{purpose} [default: IPRKG_DIST, else dist].",
    )


def progress(message: str) -> None:
    click.echo(message, err=True)


def load_settings(**overrides: str | int | None) -> Settings:
    try:
        given = {name: None if value is None else str(value) for name, value in overrides.items()}
        return Settings.load(None, None, **given)
    except SettingsError as error:
        fail(str(error), EXIT_UNREADABLE)


@contextmanager
def reported_errors(violations_mean: str = "") -> Iterator[None]:
    """Turn the build's typed errors into a readable report and an exit code; after a
    report of violations, say ``violations_mean`` (if given) as the error."""
    from iprkg.build.build import ValidationFailed
    from iprkg.build.publish import PublishError
    from iprkg.build.sources import SourceError
    from iprkg.services.dcat_profiles import CatalogueRejected, ProfileFileError

    try:
        yield
    except CatalogueRejected as rejected:
        for finding in rejected.findings:
            click.echo(str(finding))
        fail(f"{rejected}; dist was left as it was", EXIT_VIOLATIONS)
    except ProfileFileError as error:
        fail(f"cannot check the catalogue: {error}", EXIT_UNREADABLE)
    except ValidationFailed as failure:
        print_report(failure.violations, failure.names)
        if violations_mean:
            fail(f"{failure}: {violations_mean}", EXIT_VIOLATIONS)
        sys.exit(EXIT_VIOLATIONS)
    except (SourceError, SettingsError) as error:
        fail(str(error), EXIT_UNREADABLE)
    except (PublishError, OSError) as error:
        fail(f"cannot publish: {error}", EXIT_UNWRITABLE)


def print_report(violations: list[Violation], names: NodeNames) -> None:
    from iprkg.build.validation import format_report

    for line in format_report(violations, names):
        click.echo(line)


def fail(message: str, code: int) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def catalogue_check(settings: Settings) -> Callable[[Path], None]:
    """The build's own catalogue check (``iprkg.services.dcat_profiles``): the written
    build's DCAT catalogue against every profile; without the profiles, it says so."""
    from iprkg.services.dcat_profiles import (
        PROFILES,
        CatalogueRejected,
        check_artefact,
        has_profiles,
    )

    external = settings.external

    def unchecked(_: Path) -> None:
        progress(
            f"the DCAT profiles are not in {settings.relative(external)}: the catalogue is "
            "not checked (set IPRKG_EXTERNAL to the external reference folder)"
        )

    def verify(folder: Path) -> None:
        progress(f"checking the catalogue against {', '.join(PROFILES)}…")
        found = check_artefact(folder, external)
        if found:
            raise CatalogueRejected(found)

    return verify if has_profiles(external) else unchecked
