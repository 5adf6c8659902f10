"""What the writer and the reader agree on: sheet names, columns, and the Swedish words.

Planners read and type Swedish; the scenario speaks ids (``interested``, ``mon``).  Every
word a cell may hold is listed here once, with the scenario value it stands for.  The
reader also accepts the scenario's own (English) value, so a planner who knows the YAML
can type that too.

Nothing here imports :mod:`arshjul.scenario` (the reader is imported by it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# -- sheets, in the order they appear ------------------------------------------------------

INSTRUCTIONS = "Instruktioner"
SCENARIO = "Scenario"
SLOTS = "Mötespass"
CLOSED = "Stängt"
REGIONS = "Regioner"
S3 = "S3-områden"
AVAILABILITY = "Tillgänglighet"
LIMITS = "Gränser"
HOSTS = "Värdar"
THEMES = "Teman"
INTEREST = "Intresse"
GROUPS = "Grupper"
HYBRIDS = "Hybrider"
LEARNING = "Lärmöte"
NETWORK = "Nätverksmöten"

SHEETS = (
    INSTRUCTIONS,
    SCENARIO,
    SLOTS,
    CLOSED,
    REGIONS,
    S3,
    AVAILABILITY,
    LIMITS,
    HOSTS,
    THEMES,
    INTEREST,
    GROUPS,
    HYBRIDS,
    LEARNING,
    NETWORK,
)
REQUIRED_SHEETS = (SCENARIO, REGIONS, HOSTS)
NOTE_PREFIXES = ("_", "anteckning")
"""Sheets whose names start like this are the planner's own notes; the reader skips them."""

# -- words ---------------------------------------------------------------------------------

YES, NO = "ja", "nej"
BOOL_WORDS: dict[str, bool] = {
    "ja": True,
    "nej": False,
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
    "sant": True,
    "falskt": False,
}

INVITE = {"alla": "all", "intresserade": "interested", "presentatörer": "presenters"}
HYBRID_INVITE = {"alla": "all", "intresserade": "interested"}
INTEREST_FROM = {"taggar": "tags", "lista": "list"}
"""A theme's interested regions: matched by S3 tags, or the theme's column of the grid."""
SCHOOL = {"standard": "shipped", "egna": "own"}
"""A region's school holidays: the shipped county table, or its own rows on Tillgänglighet."""
AWAY = {
    "borta": "away",
    "kan inte presentera": "cannot_present",
    "otillgänglig": "unavailable",
    "skollov": "school_holidays",
}
"""Kinds of day a region gives: away (not invited, not presenting), cannot present (may
listen), ``otillgänglig`` (the older word for away), its own school holidays."""
"""The two kinds of rows on Tillgänglighet, and the region field each one fills."""
GLOBAL = "alla"
"""On Gränser, the row that holds the scenario's limits (the other rows are regions)."""
INTERESTED = "x"
"""In the interest grid: interested, with the standard weight (a bare code in YAML)."""
NO_FOLLOWUP = "ingen"

WEEKDAYS: tuple[tuple[str, str], ...] = (
    ("mon", "måndag"),
    ("tue", "tisdag"),
    ("wed", "onsdag"),
    ("thu", "torsdag"),
    ("fri", "fredag"),
    ("sat", "lördag"),
    ("sun", "söndag"),
)
MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MONTH_NAMES = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)

DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"


def words(choices: dict[str, Any]) -> str:
    """The Swedish words of a choice, for messages and drop-downs: ``alla, intresserade``."""
    return ", ".join(choices)


# -- columns -------------------------------------------------------------------------------

# Kinds of cell: what the writer writes and the reader accepts.
#   text    any text (numbers and dates are read as their text)
#   int     a whole number
#   date    a date cell (or ISO text 2027-05-03)
#   from, to  the ends of a span: a date, or a week without a year (W07); a week of a year
#           (2027-W07) is its Monday as 'from', its Sunday as 'to'
#   time    a time of day (09:00)
#   bool    ja / nej
#   choice  one of the column's Swedish words
#   list    values separated by commas
#   months  month numbers (or Swedish month names) separated by commas
#   spans   spans separated by ';', each 'name: from..to' (name optional)
#   followup  a number of weeks, or 'ingen'


@dataclass(frozen=True)
class Col:
    """One column of a table sheet, or one row of a field/value sheet."""

    header: str
    key: str
    kind: str = "text"
    width: int = 14
    help: str = ""
    choices: dict[str, Any] = field(default_factory=dict)
    dropdown: str | None = None
    """Where a drop-down takes its values: ``regions``, ``hosts``, ``slots`` (a list cell:
    the drop-down offers one slot and accepts any text)."""


def _end(header: str, key: str, help: str) -> Col:
    return Col(header, key, "to" if key.endswith("to") else "from", 12, help)


SPAN_HELP = "Ett datum (2027-05-03) eller en vecka (W07); Från och Till båda datum eller båda veckor."

SCENARIO_FIELDS: tuple[Col, ...] = (
    Col("Id", "id", help="Kort id: a–z, 0–9, '-' och '_' (blir filnamn och kalender-UID)."),
    Col("Namn", "name", help="Titeln på huvudkalendern och rapporten."),
    Col("Beskrivning", "description"),
    Col("Periodens start", "period.start", "date", help="Första dagen som planeras."),
    Col("Periodens slut", "period.end", "date", help="Sista dagen som planeras (högst tre år)."),
    Col("Tidszon", "timezone", help="IANA-namn, t.ex. Europe/Stockholm."),
    Col(
        "Publiceringsdatum",
        "publication_date",
        "date",
        help="När inbjudningarna går ut; ledtiden räknas härifrån (tomt: periodens start).",
    ),
    *(
        Col(f"Mötesdag: {label}", f"weekday.{day}", "bool", help="Får möten hållas denna veckodag?")
        for day, label in WEEKDAYS
    ),
    Col("Helgdagar stängda", "calendar.holidays", "bool", help="Svenska helgdagar är aldrig mötesdagar."),
    Col(
        "Halvdagar: eftermiddag stängd",
        "calendar.close_half_day_afternoons",
        "bool",
        help="Eftermiddagen före en helgdag (från 14:00) är stängd.",
    ),
    Col("Klämdagar stängda", "calendar.close_bridge_days", "bool"),
    Col(
        "Skollov gäller",
        "calendar.school_holidays",
        "bool",
        help="Regionerna presenterar inte under sina skollov (sportlov, påsklov, höstlov).",
    ),
    Col("Vikt: intresse", "weights.match", "int", help="Per intressepoäng som inte presenterar."),
    Col(
        "Vikt: täckning", "weights.coverage", "int", help="Per intresserad region som inte presenterar alls."
    ),
    Col("Vikt: spridning", "weights.spread", "int", help="Per möte i årets mest belastade månad."),
    Col("Vikt: önskad månad", "weights.preferred_month", "int", help="Per dialog utanför önskade månader."),
    Col(
        "Vikt: balans", "weights.balance", "int", help="Per presentatör mellan fullaste och tommaste dialog."
    ),
)

SLOT_COLUMNS = (
    Col("Id", "id", width=14, help="Passets id, t.ex. morning."),
    Col("Namn", "name", width=18),
    Col("Start", "start", "time", 9),
    Col("Slut", "end", "time", 9),
)

SPAN_COLUMNS = (
    Col("Namn", "name", width=30),
    _end("Från", "from", SPAN_HELP),
    _end("Till", "to", SPAN_HELP),
)

REGION_COLUMNS = (
    Col("Kod", "code", width=9, help="ISO 3166-2, t.ex. SE-E."),
    Col("Namn", "name", width=30),
    Col("Län", "county", width=22, help="Län för skollovstabellen (tomt: från koden)."),
    Col("Kontakt", "contact", width=30, help="E-post dit inbjudningarna går."),
    Col(
        "Skollov",
        "school",
        "choice",
        12,
        help="standard: länets skollov; egna: regionens rader 'skollov' på Tillgänglighet.",
        choices=SCHOOL,
    ),
    Col(
        "Borta enligt filer",
        "away_from",
        "list",
        30,
        help="Regionens egna filer (.ics, .csv, .xlsx) bredvid arbetsboken, kommaseparerade.",
    ),
    Col(
        "Kan inte presentera enligt filer",
        "cannot_present_from",
        "list",
        30,
        help="Filer med dagar då regionen inte kan presentera men lyssnar.",
    ),
)

S3_COLUMNS = (
    Col("Region", "region", width=9, dropdown="regions"),
    Col("Fokusområde", "name", width=42),
    Col("Taggar", "tags", "list", 40, help="Kommaseparerade; matchas mot temanas taggar."),
)

AVAILABILITY_COLUMNS = (
    Col("Region", "region", width=9, dropdown="regions"),
    Col(
        "Typ",
        "type",
        "choice",
        20,
        help="borta: varken inbjuden eller presentatör; kan inte presentera: bjuds in och lyssnar.",
        choices=AWAY,
    ),
    *SPAN_COLUMNS,
)

LIMIT_COLUMNS = (
    Col("Gäller", "scope", width=10, help="'alla' för hela scenariot, annars en regionkod."),
    Col("Fönster (dagar)", "window_days", "int", 16),
    Col("Max inbjudningar per fönster", "window_max", "int", 16),
    Col("Max inbjudningar per dag", "daily_max", "int", 16),
    Col("Max presentationer", "max_presentations", "int", 16),
    Col("Dagar mellan presentationer", "presentation_gap_days", "int", 16),
    Col("Ledtid (dagar)", "lead_time_days", "int", 16),
    Col("Dagar mellan värdens möten", "host_gap_days", "int", 16),
)
REGION_LIMIT_KEYS = ("window_max", "daily_max", "max_presentations", "presentation_gap_days")

HOST_COLUMNS = (
    Col("Id", "id", width=14),
    Col("Namn", "name", width=24),
    Col("E-post", "email", width=30, help="Organisatör för inbjudningarna."),
    Col("Plats", "location", width=28),
    Col("Möteslänk", "meeting_link", width=44),
    Col("Dagar mellan möten", "gap_days", "int", 12, help="Tomt: Gränser."),
)

THEME_COLUMNS = (
    Col("Värd", "host", width=12, dropdown="hosts"),
    Col("Id", "id", width=22),
    Col("Namn", "name", width=40),
    Col("Beskrivning", "description", width=50),
    Col("Dialoger", "dialogs", "int", 9),
    Col("Önskade månader", "preferred_months", "months", 12, help="Månadsnummer, t.ex. 2, 3."),
    Col("Pass", "slots", "list", 18, help="Tomt: alla pass.", dropdown="slots"),
    Col("Min presentatörer", "min_presenters", "int", 11),
    Col("Max presentatörer", "max_presenters", "int", 11),
    Col("Minuter per presentatör", "presenter_minutes", "int", 11),
    Col("Värdens minuter", "host_minutes", "int", 11),
    Col("Inbjudan", "invite", "choice", 14, choices=INVITE),
    Col(
        "Intresse från",
        "interest_from",
        "choice",
        12,
        help="taggar: regionernas S3-taggar; lista: temats kolumn på Intresse.",
        choices=INTEREST_FROM,
    ),
    Col("Intressevikt", "interest_weight", "int", 11, help="Vikt för regioner som matchar på taggar."),
    Col("Taggar", "tags", "list", 26),
    Col("Spärrade perioder", "forbidden", "spans", 30, help="T.ex. 'Högsäsong: W07..W10; 2027-05-03'."),
    _end("Fönster från", "window.from", SPAN_HELP),
    _end("Fönster till", "window.to", SPAN_HELP),
    Col("Fönsternamn", "window.name", width=16),
)

GROUP_COLUMNS = (
    Col("Id", "id", width=22),
    Col("Namn", "name", width=30),
    Col("Medlemmar", "members", "list", 40, help="Regionkoder, kommaseparerade."),
)

HYBRID_COLUMNS = (
    Col("Id", "id", width=16),
    Col("Värd", "host", width=12, dropdown="hosts"),
    Col("Ämne", "topic", width=36),
    Col("Beskrivning", "description", width=50),
    _end("Fönster från", "window.from", SPAN_HELP),
    _end("Fönster till", "window.to", SPAN_HELP),
    Col("Fönsternamn", "window.name", width=16),
    Col("Pass", "slots", "list", 18, help="Tomt: alla pass.", dropdown="slots"),
    Col("Minuter", "duration_minutes", "int", 9),
    Col("Inbjudan", "invite", "choice", 14, choices=HYBRID_INVITE),
    Col(
        "Taggar", "tags", "list", 26, help="Med inbjudan 'intresserade': regioner vars S3-taggar möter dessa."
    ),
)

LEARNING_FIELDS = (
    Col("Värd", "host", dropdown="hosts", help="Tomt: inget lärmöte."),
    Col("Namn", "name"),
    Col("Beskrivning", "description"),
    _end("Fönster från", "window.from", SPAN_HELP),
    _end("Fönster till", "window.to", SPAN_HELP),
    Col("Fönsternamn", "window.name"),
    Col("Pass", "slots", "list", help="Tomt: alla pass.", dropdown="slots"),
    Col("Minuter", "duration_minutes", "int"),
    Col("Dagar före första dialogen", "days_before_first_dialog", "int"),
)

NETWORK_FIELDS = (
    Col("Värd", "host", dropdown="hosts", help="Tomt: inga nätverksmöten."),
    Col("Namn", "name"),
    Col("Beskrivning", "description"),
    Col("Pass", "slot", dropdown="slots"),
    Col("Minuter", "duration_minutes", "int"),
    Col(
        "Uppföljning (veckor)",
        "followup_weeks",
        "followup",
        help="Varje dialog följs upp på första mötet minst så många veckor efter (ingen: ingen uppföljning).",
    ),
)
NETWORK_DATES = "Datum"
"""Header of the network sheet's date column (one meeting date a row)."""
NETWORK_DATES_COLUMN = 5

FIELD_HEADERS = ("Fält", "Värde", "Förklaring")
"""Headers of a field/value sheet (Scenario, Lärmöte, Nätverksmöten)."""

INTEREST_FIXED = ("Region", "Namn")
"""The interest grid's first two columns; then one column per theme id."""

INSTRUCTION_TEXT = (
    ("Planeringsarbetsbok för arshjul", "title"),
    (
        "Den här arbetsboken är ett scenario för arshjul: samma innehåll som en scenariofil i "
        "YAML, på svenska och i flikar. Ändra i flikarna och kör sedan "
        "'arshjul plan år.xlsx' (eller 'arshjul validate år.xlsx' för att bara kontrollera).",
        "",
    ),
    ("Flikarna", "heading"),
    (f"{SCENARIO}: id, namn, period, tidszon, publiceringsdatum, mötesdagar, kalender och vikter.", ""),
    (f"{SLOTS}: dagens mötespass (id, namn, start, slut).", ""),
    (f"{CLOSED}: namngivna perioder utan möten för alla (sommar, jul).", ""),
    (
        f"{REGIONS}: regionerna med kod, namn, län, kontakt och om de har egna skollov.",
        "",
    ),
    (f"{S3}: regionernas fokusområden i smart specialisering, med taggar.", ""),
    (
        f"{AVAILABILITY}: en rad per region och period: 'otillgänglig' (kan inte delta) eller "
        "'skollov' (egna skollov, när regionen har 'egna' på Regioner).",
        "",
    ),
    (
        f"{LIMITS}: raden 'alla' gäller scenariot; en rad per region ändrar regionens egna gränser "
        "(bara inbjudningar per fönster och dag, presentationer och dagar mellan presentationer).",
        "",
    ),
    (f"{HOSTS}: vilka som håller möten (Vinnova, andra myndigheter).", ""),
    (f"{THEMES}: en rad per tematiskt område, med värd, antal dialoger, månader och regler.", ""),
    (
        f"{INTEREST}: regioner × teman. 'x' = intresserad, ett tal 1–100 = intresse med vikt. "
        "Gäller teman med 'lista' i kolumnen 'Intresse från'; teman med 'taggar' hittar sina "
        "regioner genom S3-taggarna.",
        "",
    ),
    (f"{GROUPS}: regioner som får presentera tillsammans (t.ex. NMS).", ""),
    (f"{HYBRIDS}: öppna hybridmöten för information och identifiering.", ""),
    (f"{LEARNING}: lärmötet om formatet (lämna Värd tomt om inget lärmöte).", ""),
    (f"{NETWORK}: RND-nätverkets möten på fasta datum (kolumnen {NETWORK_DATES}).", ""),
    ("Så skrivs värden", "heading"),
    ("Datum skrivs som datum: 2027-05-03.", ""),
    (
        "En period har Från och Till: två datum (båda dagarna ingår) eller två veckor utan år, "
        "W07 och W10, som upprepas varje år i perioden. Bara en dag: samma datum i båda.",
        "",
    ),
    ("Spärrade perioder i en cell: 'Högsäsong: W07..W10; 2027-05-03..2027-05-07' (namn valfritt).", ""),
    ("Tider skrivs 09:00. Ja/nej-fält: ja eller nej.", ""),
    ("Listor (taggar, pass, medlemmar, månader) skrivs med kommatecken: health, life-science.", ""),
    (
        "Regionkoder är ISO 3166-2, t.ex. SE-E (Östergötland) och SE-AB (Stockholm). "
        "Id skrivs med a–z, 0–9, '-' och '_' (inga versaler, inga å/ä/ö).",
        "",
    ),
    ("Tomma celler betyder standardvärdet.", ""),
    (
        "Egna anteckningar: lägg dem i en flik vars namn börjar med '_' eller 'Anteckningar'; "
        "andra okända flikar och kolumner är fel, så att ett stavfel aldrig tyst försvinner.",
        "",
    ),
)
