"""States (countries) as English-language news names them, so that a state can be found as
an actor in an article: "Russia", "the U.S.", "Britain", and the adjectives "Russian",
"U.S.", "South Korean", "Saudi", "Emirati".

ISO 3166 codes and official names come from pycountry (LGPL-2.1), read at run time on the
first call: this module ships none of its data, and imports it lazily because the CLI's
start-up time matters. News does not write pycountry's names ("Korea, Republic of",
"Russian Federation"), so the table below adds the short names news uses and a demonym
for every UN member state, Palestine, Taiwan, Kosovo (user-assigned XKX) and the Holy See.

Matching is case-sensitive (a state's name is capitalised), longest first ("South Korea",
not "Korea"), on whole words: a plural such as "Russians" or "Israelis" names people, not
the state, and is not a mention. Phrases that contain a state's name but are something else
("Latin America", "Korean Peninsula", "Mexico City", "Northern Ireland") are consumed and
dropped. "Chad" and "Jordan" before a capitalised word that is not a title, a day or a month
are read as given names ("Chad Smith", "Jordan Bardella"). A mention joined by a hyphen
("U.S.-led", "Russian-backed", "pro-Russia") is an adjective with `modifier=True`, so
callers looking for actors can skip it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from summarizer.extraction.lexicon import TITLES

__all__ = [
    "StateMention",
    "find_states",
    "is_state_word",
    "state_code",
    "state_name",
    "state_names",
]

# code | names news uses where pycountry's differ, the short name first | adjectives.
# pycountry adds its own name (unless it has a comma or a bracket), common and official name.
_TABLE = """
AFG | | Afghan
AGO | | Angolan
ALB | | Albanian
AND | | Andorran
ARE | United Arab Emirates; UAE; U.A.E. | Emirati
ARG | | Argentine; Argentinian; Argentinean
ARM | | Armenian
ATG | Antigua and Barbuda; Antigua | Antiguan; Barbudan
AUS | | Australian
AUT | | Austrian
AZE | | Azerbaijani; Azeri
BDI | | Burundian
BEL | | Belgian
BEN | | Beninese
BFA | | Burkinabe; Burkinabè
BGD | | Bangladeshi
BGR | | Bulgarian
BHR | | Bahraini
BHS | | Bahamian
BIH | Bosnia; Bosnia-Herzegovina | Bosnian; Herzegovinian
BLR | | Belarusian; Belarusan
BLZ | | Belizean
BOL | Bolivia | Bolivian
BRA | | Brazilian
BRB | | Barbadian; Bajan
BRN | Brunei | Bruneian
BTN | | Bhutanese
BWA | | Botswanan; Batswana
CAF | | Central African
CAN | | Canadian
CHE | | Swiss
CHL | | Chilean
CHN | China; PRC | Chinese
CIV | Ivory Coast | Ivorian
CMR | | Cameroonian
COD | Democratic Republic of Congo; Democratic Republic of the Congo; DR Congo; DRC; \
Congo-Kinshasa; Congo | Congolese
COG | Republic of Congo; Republic of the Congo; Congo Republic; Congo-Brazzaville | Congolese
COL | | Colombian
COM | | Comorian
CPV | Cape Verde | Cape Verdean; Cabo Verdean
CRI | | Costa Rican
CUB | | Cuban
CYP | | Cypriot
CZE | Czech Republic; Czechia | Czech
DEU | | German
DJI | | Djiboutian
DMA | | Dominican
DNK | | Danish
DOM | | Dominican
DZA | | Algerian
ECU | | Ecuadorian; Ecuadoran
EGY | | Egyptian
ERI | | Eritrean
ESP | | Spanish
EST | | Estonian
ETH | | Ethiopian
FIN | | Finnish
FJI | | Fijian
FRA | | French
FSM | Micronesia | Micronesian
GAB | | Gabonese
GBR | Britain; Great Britain; United Kingdom; UK; U.K. | British; UK; U.K.
GEO | | Georgian
GHA | | Ghanaian
GIN | | Guinean
GMB | | Gambian
GNB | | Bissau-Guinean
GNQ | | Equatorial Guinean; Equatoguinean
GRC | | Greek
GRD | | Grenadian
GTM | | Guatemalan
GUY | | Guyanese
HND | | Honduran
HRV | | Croatian
HTI | | Haitian
HUN | | Hungarian
IDN | | Indonesian
IND | | Indian
IRL | Ireland; Republic of Ireland | Irish
IRN | Iran | Iranian
IRQ | | Iraqi
ISL | | Icelandic
ISR | | Israeli
ITA | | Italian
JAM | | Jamaican
JOR | | Jordanian
JPN | | Japanese
KAZ | | Kazakh; Kazakhstani
KEN | | Kenyan
KGZ | | Kyrgyz; Kyrgyzstani
KHM | | Cambodian
KIR | | I-Kiribati
KNA | St. Kitts and Nevis; St Kitts and Nevis | Kittitian; Nevisian
KOR | South Korea; Republic of Korea; Korea; ROK | South Korean; Korean
KWT | | Kuwaiti
LAO | Laos | Laotian; Lao
LBN | | Lebanese
LBR | | Liberian
LBY | | Libyan
LCA | St. Lucia; St Lucia | Saint Lucian; St. Lucian
LIE | | Liechtensteiner; Liechtenstein
LKA | | Sri Lankan
LSO | | Basotho; Mosotho
LTU | | Lithuanian
LUX | | Luxembourgish; Luxembourger
LVA | | Latvian
MAR | | Moroccan
MCO | | Monegasque; Monacan
MDA | Moldova | Moldovan
MDG | | Malagasy; Madagascan
MDV | | Maldivian
MEX | | Mexican
MHL | | Marshallese
MKD | North Macedonia; Macedonia | North Macedonian; Macedonian
MLI | | Malian
MLT | | Maltese
MMR | Myanmar; Burma | Burmese; Myanmar
MNE | | Montenegrin
MNG | | Mongolian
MOZ | | Mozambican
MRT | | Mauritanian
MUS | | Mauritian
MWI | | Malawian
MYS | | Malaysian
NAM | | Namibian
NER | | Nigerien
NGA | | Nigerian
NIC | | Nicaraguan
NLD | | Dutch
NOR | | Norwegian
NPL | | Nepali; Nepalese
NRU | | Nauruan
NZL | | New Zealand
OMN | | Omani
PAK | | Pakistani
PAN | | Panamanian
PER | | Peruvian
PHL | | Philippine; Filipino
PLW | | Palauan
PNG | | Papua New Guinean
POL | | Polish
PRK | North Korea; DPRK | North Korean
PRT | | Portuguese
PRY | | Paraguayan
PSE | Palestine; State of Palestine; Palestinian territories; Palestinian Territories \
| Palestinian
QAT | | Qatari
ROU | | Romanian
RUS | Russia | Russian
RWA | | Rwandan
SAU | | Saudi; Saudi Arabian
SDN | | Sudanese
SEN | | Senegalese
SGP | | Singaporean
SLB | | Solomon Islands; Solomon Islander
SLE | | Sierra Leonean
SLV | | Salvadoran; Salvadorean
SMR | | Sammarinese
SOM | | Somali; Somalian
SRB | | Serbian
SSD | | South Sudanese
STP | São Tomé and Príncipe; Sao Tome | Santomean; São Toméan
SUR | | Surinamese
SVK | | Slovak; Slovakian
SVN | | Slovenian; Slovene
SWE | | Swedish
SWZ | Eswatini; Swaziland | Swazi
SYC | | Seychellois
SYR | Syria | Syrian
TCD | | Chadian
TGO | | Togolese
THA | | Thai
TJK | | Tajik; Tajikistani
TKM | | Turkmen
TLS | East Timor; Timor-Leste | East Timorese; Timorese
TON | | Tongan
TTO | | Trinidadian; Tobagonian
TUN | | Tunisian
TUR | Turkey; Türkiye | Turkish
TUV | | Tuvaluan
TWN | Taiwan; Republic of China | Taiwanese
TZA | Tanzania | Tanzanian
UGA | | Ugandan
UKR | | Ukrainian
URY | | Uruguayan
USA | United States; U.S.; US; USA; U.S.A.; America; United States of America \
| American; U.S.; US
UZB | | Uzbek; Uzbekistani
VAT | Vatican; Holy See; Vatican City | Vatican
VCT | St. Vincent and the Grenadines; Saint Vincent | Vincentian
VEN | Venezuela | Venezuelan
VNM | Vietnam; Viet Nam | Vietnamese
VUT | | Ni-Vanuatu; Vanuatuan
WSM | | Samoan
XKX | Kosovo | Kosovar; Kosovan
YEM | | Yemeni
ZAF | | South African
ZMB | | Zambian
ZWE | | Zimbabwean
"""

# States outside the UN's 193 members that news treats as actors.
_NOT_UN_MEMBERS = frozenset({"PSE", "TWN", "VAT", "XKX"})

# A word two states share goes to the one news means by it (AP style: "Congo" is the DRC).
_SHARED = {"Congo": "COD", "Congolese": "COD", "Dominican": "DOM"}

# Phrases that contain a state's name or adjective but are not the state.
_NOT_STATES = (
    "Latin America", "South America", "North America", "Central America",
    "Latin American", "South American", "North American", "Central American",
    "African American", "Native American", "American Indian", "American Samoa",
    "Voice of America", "Bank of America", "Organization of American States",
    "Gulf of America", "Gulf of Mexico", "New Mexico", "Mexico City", "Guatemala City",
    "Panama City", "Kuwait City", "Luxembourg City", "South China Sea", "East China Sea",
    "South China Morning Post", "Korean Peninsula", "Korean War", "New Guinea",
    "Gulf of Guinea", "Northern Ireland", "Northern Irish", "British Columbia",
    "British Virgin Islands", "Indian Ocean", "West Indian", "West Indies", "Lake Chad",
    "Jordan River", "River Jordan", "Jordan Valley", "Niger Delta", "Niger River",
    "River Niger", "Congo River", "Congo Basin", "Turkish Cypriot", "Greek Cypriot", "US$",
)  # fmt: skip

# States whose name is also a given name: not the state before a capitalised word, unless
# that word is a title, a day or a month ("Chad President", "Jordan Monday").
_GIVEN_NAMES = frozenset({"Chad", "Jordan"})
_NOT_SURNAMES = TITLES | {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
}  # fmt: skip

# After a word that is both a name and an adjective ("U.S.", "New Zealand", "Vatican"),
# these show it is the noun: "the U.S. said", "the U.S. and China"; any other word,
# "U.S. officials", makes it an adjective.
_NOUN_FOLLOWERS = frozenset({
    "and", "or", "but", "nor", "to", "of", "in", "on", "at", "by", "for", "from", "with", "as",
    "than", "that", "which", "who", "whose", "is", "are", "was", "were", "be", "been", "has",
    "have", "had", "will", "would", "could", "should", "can", "may", "might", "must", "did",
    "does", "do", "said", "says", "say", "told", "also", "again", "not", "last", "this", "next",
    "since", "after", "before", "over", "until",
})  # fmt: skip

_HYPHENS = "-\u2010\u2011\u2013"


# Capitals that news uses for their governments ("Moscow rejected", "demanding that
# Washington change"): the states most in international news. A capital is the state only
# where it acts; after "in" or "to" it is a place, which `actors.py` decides.
_CAPITALS = {
    "Washington": "USA", "Moscow": "RUS", "Beijing": "CHN", "Kyiv": "UKR", "Kiev": "UKR",
    "Tehran": "IRN", "Pyongyang": "PRK", "Seoul": "KOR", "Tokyo": "JPN", "London": "GBR",
    "Paris": "FRA", "Berlin": "DEU", "Ankara": "TUR", "Damascus": "SYR", "Baghdad": "IRQ",
    "Riyadh": "SAU", "Cairo": "EGY", "Ottawa": "CAN", "New Delhi": "IND", "Islamabad": "PAK",
    "Kabul": "AFG", "Taipei": "TWN", "Havana": "CUB", "Caracas": "VEN", "Brasilia": "BRA",
    "Canberra": "AUS", "Rome": "ITA", "Madrid": "ESP", "Warsaw": "POL", "Minsk": "BLR",
    "Tbilisi": "GEO", "Baku": "AZE", "Yerevan": "ARM", "Doha": "QAT", "Abu Dhabi": "ARE",
    "Amman": "JOR", "Beirut": "LBN", "Tripoli": "LBY", "Khartoum": "SDN", "Addis Ababa": "ETH",
    "Nairobi": "KEN", "Pretoria": "ZAF", "Abuja": "NGA", "Manila": "PHL", "Hanoi": "VNM",
    "Jakarta": "IDN", "Bangkok": "THA", "Naypyitaw": "MMR", "Dhaka": "BGD", "Kathmandu": "NPL",
"Bogota": "COL", "Buenos Aires": "ARG", "Santiago": "CHL",
    "Lima": "PER", "Brussels": "BEL", "The Hague": "NLD", "Stockholm": "SWE", "Oslo": "NOR",
    "Helsinki": "FIN", "Copenhagen": "DNK", "Athens": "GRC", "Budapest": "HUN",
    "Belgrade": "SRB", "Bucharest": "ROU", "Sofia": "BGR", "Vienna": "AUT", "Bern": "CHE",
    "Tel Aviv": "ISR", "Jerusalem": "ISR", "Sanaa": "YEM", "Muscat": "OMN", "Kuwait City": "KWT",
    "Algiers": "DZA", "Rabat": "MAR", "Tunis": "TUN", "Kinshasa": "COD", "Mogadishu": "SOM",
    "Juba": "SSD", "Harare": "ZWE", "Lusaka": "ZMB", "Kampala": "UGA", "Kigali": "RWA",
    "Dakar": "SEN", "Bamako": "MLI", "Niamey": "NER", "Ouagadougou": "BFA", "Accra": "GHA",
}  # fmt: skip


@dataclass(frozen=True)
class StateMention:
    """A state named in a text: `text[start:end]` is the form found, `code` its ISO 3166
    alpha-3 code; `modifier` marks a hyphenated compound ("U.S.-led"), which names the
    state without making it an actor."""

    start: int
    end: int
    code: str
    form: Literal["name", "adjective", "capital"]
    modifier: bool = False


@dataclass(frozen=True)
class _Gazetteer:
    names: dict[str, str]
    adjectives: dict[str, str]
    short_names: dict[str, str]
    pattern: re.Pattern[str]


def _variants(form: str) -> set[str]:
    """The spellings news uses: with and without diacritics, straight and curly apostrophe."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", form) if not unicodedata.combining(c))
    out = {form, plain}
    return out | {v.replace("'", "\u2019") for v in out}


def _add(table: dict[str, str], form: str, code: str) -> None:
    """Enter `form` for `code`; a word two states share must be settled in _SHARED."""
    for v in _variants(form):
        known = table.get(v)
        if known not in (None, code) and v not in _SHARED:
            raise ValueError(f"{v!r} names both {known} and {code}: add it to _SHARED")
        table[v] = _SHARED.get(v, code)


@functools.cache
def _gazetteer() -> _Gazetteer:
    """Build the lookups and the one regex on first use (pycountry is slow to import)."""
    import pycountry

    names: dict[str, str] = {}
    adjectives: dict[str, str] = {}
    short_names: dict[str, str] = {}
    for line in _TABLE.strip().splitlines():
        code, own_names, own_adjectives = (part.strip() for part in line.split("|"))
        country = pycountry.countries.get(alpha_3=code)
        iso = [getattr(country, f, None) for f in ("common_name", "name", "official_name")]
        iso_names = [n.removeprefix("the ") for n in iso if n and not set(n) & set(",()")]
        news_names = [n.strip() for n in own_names.split(";") if n.strip()]
        short_names[code] = (news_names or iso_names)[0]
        for name in news_names + iso_names:
            _add(names, name, code)
        for adjective in own_adjectives.split(";"):
            _add(adjectives, adjective.strip(), code)
    forms = sorted({*names, *adjectives, *_CAPITALS, *_NOT_STATES}, key=len, reverse=True)
    # A phrase that is not a state may be plural: "Turkish Cypriots" is not "Turkish".
    alternation = "|".join(re.escape(f) + ("s?" if f in _NOT_STATES else "") for f in forms)
    # Whole words only: "Russians" and "Nigeria" do not mention "Russian" and "Niger";
    # "Egypt's" mentions "Egypt".
    pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
    return _Gazetteer(names, adjectives, short_names, pattern)


def _joined(text: str, start: int, end: int) -> bool:
    """Whether the mention is one part of a hyphenated compound ("U.S.-led", "pro-Russia")."""
    after = end + 1 < len(text) and text[end] in _HYPHENS and text[end + 1].isalnum()
    before = start >= 2 and text[start - 1] in _HYPHENS and text[start - 2].isalnum()
    return after or before


_NEXT_WORD = re.compile(r"\s+([\w.']+)")


def _next_word(text: str, end: int) -> str:
    match = _NEXT_WORD.match(text, end)
    return match.group(1) if match else ""


def find_states(text: str) -> list[StateMention]:
    """Every state named in `text`, in text order, non-overlapping, longest form first."""
    gaz = _gazetteer()
    mentions: list[StateMention] = []
    for match in gaz.pattern.finditer(text):
        form, start, end = match.group(), match.start(), match.end()
        code = gaz.names.get(form) or gaz.adjectives.get(form)
        following = _next_word(text, end)
        if code is None and form in _CAPITALS:
            if not following[:1].isupper() and not _joined(text, start, end):
                mentions.append(StateMention(start, end, _CAPITALS[form], "capital"))
            continue  # "Washington Post", "Moscow-based" name no government
        if code is None:  # one of _NOT_STATES
            continue
        if (
            form in _GIVEN_NAMES
            and following[:1].isupper()
            and following.lower().rstrip(".") not in _NOT_SURNAMES
        ):
            continue
        if _joined(text, start, end):
            mentions.append(StateMention(start, end, code, "adjective", modifier=True))
            continue
        is_adjective = form in gaz.adjectives and (
            form not in gaz.names
            or (following[:1].isalpha() and following.lower() not in _NOUN_FOLLOWERS)
        )
        mentions.append(StateMention(start, end, code, "adjective" if is_adjective else "name"))
    return mentions


def state_code(word: str) -> str | None:
    """The alpha-3 code of a state's name or adjective as written ("Russian" -> "RUS",
    "U.S." -> "USA"); None for anything else, lower-case and plural forms included."""
    gaz = _gazetteer()
    return gaz.names.get(word) or gaz.adjectives.get(word)


def state_name(code: str) -> str:
    """The short name news uses for a state ("GBR" -> "Britain"); KeyError if not a state."""
    return _gazetteer().short_names[code]


def state_names() -> frozenset[str]:
    """Every name form of a state (not its adjectives): "Russia", "U.S.", "South Korea"."""
    return _name_forms()


@functools.cache
def _name_forms() -> frozenset[str]:
    gaz = _gazetteer()
    return frozenset(n for n in gaz.names if n not in gaz.adjectives)


def is_state_word(word: str) -> bool:
    """Whether `word` is a state's name or adjective, so a caller can strip it from a name
    ("Russian President Vladimir Putin")."""
    return state_code(word) is not None
