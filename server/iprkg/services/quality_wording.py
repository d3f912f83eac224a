"""What the data-quality report (``quality``) says, in nb and en: each item's words, what
to add in plain words, and the Turtle to write for the command line.

Things are named by their labels (``Labels``); dates as ``date_of`` says them. Advice
never names a term by its prefixed name (pages show it); the ``hint`` does (the command
line shows it beside the advice, for the one who edits the Turtle).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from iprkg.engine.results import Row, Text
from iprkg.services.labels import Labels


@dataclass(frozen=True)
class Item:
    """One thing the report says of a council."""

    kind: str
    """One of ``KINDS``."""
    topic: str
    """What it is about: legal-form, founding, members, strategy, period, focus-areas,
    goals, stakeholders, or (uncertain, weaker) resource."""
    about: str
    """The IRI of the resource it is about."""
    said: Text
    """What the data say, or do not say, in plain words; for what is uncertain or rests
    only on weaker sources, the name of the resource."""
    advice: Text = field(default_factory=Text)
    """What to add, in plain words (nothing for what is known and settled)."""
    hint: str = ""
    """The Turtle to write, for the command line (pages show ``advice`` only)."""
    note: Text = field(default_factory=Text)
    """An uncertain resource's note: who says what."""
    sources: tuple[tuple[str, str], ...] = ()
    """The weaker sources (page IRI, kind IRI), for an item that rests only on them."""


OTHERS = Text("Utenfor rådene", "Not tied to a council")
"""The heading of what belongs to no council."""


@dataclass(frozen=True)
class ListWords:
    """How the report speaks of a list: its topic, its values in the plural and in the
    definite plural ("satsingsområder", "satsingsområdene"), its property's prefixed name."""

    topic: str
    plural: Text
    definite: Text
    curie: str
    one: Text

    def counted(self, count: int) -> Text:
        """ "1 satsingsområde", "4 satsingsområder"."""
        words = self.one if count == 1 else self.plural
        return Text(f"{count} {words.nb}", f"{count} {words.en}")


MEMBERS = ListWords(
    "members",
    Text("medlemmer", "members"),
    Text("medlemmene", "the members"),
    "org:hasMember",
    Text("medlem", "member"),
)
LISTS: dict[str, ListWords] = {
    "ontology#focusArea": ListWords(
        "focus-areas",
        Text("satsingsområder", "focus areas"),
        Text("satsingsområdene", "the focus areas"),
        "ipr:focusArea",
        Text("satsingsområde", "focus area"),
    ),
    "ontology#emphasisesGoal": ListWords(
        "goals",
        Text("bærekraftsmål", "UN sustainable development goals"),
        Text("bærekraftsmålene", "the UN sustainable development goals"),
        "ipr:emphasisesGoal",
        Text("bærekraftsmål", "UN sustainable development goal"),
    ),
    "ontology#worksTowards": ListWords(
        "stakeholders",
        Text("aktører", "stakeholders"),
        Text("aktørene", "the stakeholders"),
        "ipr:worksTowards",
        Text("aktør", "stakeholder"),
    ),
}
"""Each strategy list, by its property (relative to the base)."""


class Sayer:
    """Makes the report's items, naming things by ``labels`` and dates by ``date_of``."""

    def __init__(self, labels: Labels, date_of: Callable[[str, str], str]) -> None:
        self.labels = labels
        self.date_of = date_of

    def name(self, iri: str) -> Text:
        return Text(self.labels.label(iri, "nb"), self.labels.label(iri, "en"))

    def date(self, iso: str) -> Text:
        try:
            return Text(self.date_of(iso, "nb"), self.date_of(iso, "en"))
        except ValueError:  # not a date the formatter reads: as written
            return Text(iso, iso)

    def legal_form(self, council: str, forms: Sequence[str], not_stated: str) -> list[Item]:
        stated = [form for form in forms if form != not_stated]
        if not stated:
            return [
                Item(
                    "unknown",
                    "legal-form",
                    council,
                    Text(
                        "Kildene oppgir ikke organisasjonsformen.",
                        "The sources do not state the legal form.",
                    ),
                    Text(
                        "Legg til organisasjonsformen når en kilde oppgir den (interkommunalt "
                        "politisk råd, IKS, DA eller kommuneloven 1992 § 27), og for et "
                        "interkommunalt politisk råd hjemmelen (kommuneloven § 18-1).",
                        "Add the legal form when a source states it (inter-municipal political "
                        "council, IKS, DA or section 27 of the 1992 Act), and for an "
                        "inter-municipal political council its legal basis (section 18-1).",
                    ),
                    "dct:type <cooperation-form/…> (and ipr:legalBasis <law/kommuneloven/18-1> "
                    "for an IPR), with dct:source the page that says so",
                )
            ]
        names = [self.name(form) for form in stated]
        return [
            Item(
                "known",
                "legal-form",
                council,
                Text(
                    f"Organisasjonsform: {', '.join(name.nb for name in names)}.",
                    f"Legal form: {', '.join(name.en for name in names)}.",
                ),
            )
        ]

    def founding(self, council: str, dates: Sequence[str]) -> Item:
        if dates:
            said = [self.date(iso) for iso in dates]
            return Item(
                "known",
                "founding",
                council,
                Text(
                    f"Stiftet {' / '.join(day.nb for day in said)}.",
                    f"Founded {' / '.join(day.en for day in said)}.",
                ),
            )
        return Item(
            "unknown",
            "founding",
            council,
            Text("Stiftelsesdatoen er ukjent.", "The founding date is not known."),
            Text(
                "Legg til stiftelsesdatoen hvis en kilde oppgir den.",
                "Add the founding date if a source gives it.",
            ),
            'dct:created "YYYY-MM-DD"^^xsd:date',
        )

    def members(self, council: str, row: Row | None) -> list[Item]:
        return self.completeness(council, MEMBERS, row, Text("Rådet", "The council"))

    def no_strategy(self, council: str) -> Item:
        return Item(
            "unknown",
            "strategy",
            council,
            Text(
                "Dataene har ingen strategi for rådet.", "The data have no strategy of the council."
            ),
            Text(
                "Legg til rådets strategi hvis det har en, med periode, satsingsområder og kilde.",
                "Add the council's strategy if it has one, with its period, focus areas "
                "and source.",
            ),
            "<strategy/…> a ipr:Strategy ; ipr:strategyOf <council/…> ; dct:title … ; dct:source …",
        )

    def strategy(self, strategy: str, rows: Sequence[Row]) -> list[Item]:
        title = self.name(strategy)
        period = next((row for row in rows if "period" in row), None)
        if period is None:
            return [
                Item(
                    "known",
                    "strategy",
                    strategy,
                    Text(f"Strategi: «{title.nb}».", f"Strategy: “{title.en}”."),
                ),
                Item(
                    "unknown",
                    "period",
                    strategy,
                    Text(
                        f"Perioden til «{title.nb}» er ukjent.",
                        f"The period of “{title.en}” is not known.",
                    ),
                    Text("Legg til strategiens periode.", "Add the strategy's period."),
                    "dct:temporal <strategy/…/period> (a dct:PeriodOfTime with dcat:startDate "
                    "and dcat:endDate)",
                ),
            ]
        said = self.period(period)
        items = [
            Item(
                "known",
                "strategy",
                strategy,
                Text(f"Strategi: «{title.nb}», {said.nb}.", f"Strategy: “{title.en}”, {said.en}."),
            )
        ]
        if "start" not in period or "end" not in period:
            items.append(
                Item(
                    "unknown",
                    "period",
                    str(period["period"]),
                    Text(
                        f"Perioden til «{title.nb}» mangler start- eller sluttdato.",
                        f"The period of “{title.en}” lacks a start or an end date.",
                    ),
                    Text(
                        "Legg til periodens første og siste dag.",
                        "Add the period's first and last day.",
                    ),
                    "dcat:startDate and dcat:endDate on the period",
                )
            )
        return items

    def period(self, row: Row) -> Text:
        iri = str(row["period"])
        if self.labels.has_label(iri):
            return self.name(iri)
        start = self.date(str(row["start"])) if "start" in row else Text("?", "?")
        end = self.date(str(row["end"])) if "end" in row else Text("?", "?")
        return Text(f"{start.nb}–{end.nb}", f"{start.en}–{end.en}")

    def strategy_list(self, strategy: str, local: str, row: Row | None) -> list[Item]:
        title = self.name(strategy)
        return self.completeness(
            strategy, LISTS[local], row, Text(f"«{title.nb}»", f"“{title.en}”")
        )

    def completeness(
        self, about: str, list_words: ListWords, row: Row | None, whose: Text
    ) -> list[Item]:
        """What a list says: how many values, whether it is complete, and what to add."""
        topic, words, curie = list_words.topic, list_words.plural, list_words.curie
        the_words = list_words.definite
        count = int(str(row["count"])) if row is not None and "count" in row else 0
        counted = list_words.counted(count)
        complete = row is not None and str(row.get("complete")) == "true"
        incomplete = row is not None and str(row.get("incomplete")) == "true"
        hint = (
            f"ipr:completeList {curie} (or ipr:incompleteList {curie}) "
            "with a skos:note in nb and en"
        )
        items = []
        if complete or incomplete:
            state = (
                Text("listen er fullstendig", "the list is complete")
                if complete
                else Text("listen er ufullstendig", "the list is incomplete")
            )
            said = Text(
                f"{whose.nb}: {counted.nb}; {state.nb}.",
                f"{whose.en}: {counted.en}; {state.en}.",
            )
            items.append(Item("known", topic, about, said))
        elif count:  # how many is known; whether that is all, not (said below)
            said = Text(f"{whose.nb}: {counted.nb}.", f"{whose.en}: {counted.en}.")
            items.append(Item("known", topic, about, said))
        if incomplete:
            items.append(
                Item(
                    "unknown",
                    topic,
                    about,
                    Text(
                        f"{whose.nb}: noen {words.nb} mangler i dataene.",
                        f"{whose.en}: some {words.en} are missing from the data.",
                    ),
                    Text(
                        f"Legg til {the_words.nb} som mangler, og si så at listen er fullstendig.",
                        f"Add the missing {words.en}, then say that the list is complete.",
                    ),
                    f"the missing values of {curie}; "
                    f"then ipr:completeList {curie} with a skos:note",
                )
            )
        elif not complete:
            none = counted if count else Text(f"ingen {words.nb}", f"no {words.en}")
            items.append(
                Item(
                    "unknown",
                    topic,
                    about,
                    Text(
                        f"{whose.nb}: {none.nb} i dataene, "
                        "og om listen er fullstendig, er ikke sagt.",
                        f"{whose.en}: {none.en} in the data, "
                        "and whether the list is complete is not said.",
                    ),
                    Text(
                        f"Si om listen over {words.nb} er fullstendig, med en merknad om hvorfor"
                        + ("" if count else f" (legg først til {the_words.nb} kilden nevner)")
                        + ".",
                        f"Say whether the list of {words.en} is complete, with a note saying why"
                        + ("" if count else f" (first add {the_words.en} the source names)")
                        + ".",
                    ),
                    hint,
                )
            )
        return items

    def uncertain(self, iri: str, note: Text) -> Item:
        name = self.name(iri)
        return Item(
            "uncertain",
            "resource",
            iri,
            name,
            Text(
                "Finn en kilde som avgjør saken (spør gjerne rådet), legg den til og si hva "
                "den sier.",
                "Find a source that settles it (ask the council), add it and say what it says.",
            ),
            "dct:source <the page that settles it>; then ipr:uncertain false, or a note saying "
            "which source is right",
            note=note,
        )

    def weaker(self, iri: str, sources: Sequence[tuple[str, str]]) -> Item:
        name = self.name(iri)
        return Item(
            "weaker",
            "resource",
            iri,
            name,
            Text(
                "Legg til en førstehåndskilde (rådets, en medlemskommunes, en fylkeskommunes "
                "eller statens side, eller et vedtatt dokument) som sier det samme.",
                "Add a primary source (the council's, a member municipality's, a county's or "
                "the state's page, or an adopted document) that says the same.",
            ),
            "dct:source <a primary page>, described with dct:type <source-kind/council-site> "
            "(or municipal-site, county-site, state-site)",
            sources=tuple(sources),
        )
