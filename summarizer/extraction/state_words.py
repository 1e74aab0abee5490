"""The data `states.py` reads states with: for each ISO 3166 code the names and adjectives
news uses, the phrases that contain a state's name without naming it, the given names
that are also states' names, and the capitals that stand for their governments. Kept
apart from the lookups so the table reads as a table.
"""

from __future__ import annotations

from summarizer.extraction.lexicon import TITLES

__all__ = [
    "CAPITALS",
    "GIVEN_NAMES",
    "HYPHENS",
    "MODIFIED_NOUNS",
    "NOT_STATES",
    "NOT_SURNAMES",
    "NOT_UN_MEMBERS",
    "SHARED",
    "TABLE",
]

# code | names news uses where pycountry's differ, the short name first | adjectives.
# pycountry adds its own name (unless it has a comma or a bracket), common and official name.
TABLE = """
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
CAF | Central African Republic; CAR; C.A.R. | Central African
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
NOT_UN_MEMBERS = frozenset({"PSE", "TWN", "VAT", "XKX"})

# A word two states share goes to the one news means by it (AP style: "Congo" is the DRC).
SHARED = {"Congo": "COD", "Congolese": "COD", "Dominican": "DOM"}

# Phrases that contain a state's name or adjective but are not the state.
NOT_STATES = (
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
GIVEN_NAMES = frozenset({"Chad", "Jordan"})
NOT_SURNAMES = TITLES | {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
}  # fmt: skip

# After a word that is both a name and an adjective ("U.S.", "New Zealand", "Vatican"),
# these show it is the noun: "the U.S. said", "the U.S. and China"; any other word,
# "U.S. officials", makes it an adjective.
# Nouns that a word both name and adjective of a state ("U.S.", "UK", "New Zealand"), or a
# capital, describes when it stands before them: "U.S. officials", "the Doha agreement".
# Before any other lower-case word it is the state itself: "the U.S. rejected the plan".
MODIFIED_NOUNS = frozenset({
    "officials", "official", "forces", "troops", "soldiers", "military", "army", "navy",
    "government", "administration", "authorities", "embassy", "consulate", "envoy", "envoys",
    "ambassador", "diplomat", "diplomats", "delegation", "negotiators", "lawmakers",
    "legislators", "senators", "president", "leader", "leaders", "intelligence", "sanctions",
    "tariffs", "tariff", "aid", "citizens", "citizen", "nationals", "companies", "firms",
    "economy", "dollar", "dollars", "election", "elections", "ally", "allies", "partner",
    "partners", "counterpart", "counterparts", "policy", "position", "strikes", "strike",
    "side", "team", "warships", "jets", "drones", "weapons", "support", "proposal", "plan",
    "state", "capital", "border", "territory", "waters", "airspace", "media", "press",
    "dairy", "products", "goods", "exports", "imports", "market", "markets", "law", "laws",
    "agreement", "agreements", "accord", "accords", "talks", "process", "summit", "meeting",
    "conference", "deal", "negotiations", "format", "declaration", "treaty", "protocol",
})  # fmt: skip

HYPHENS = "-\u2010\u2011\u2013"


# Capitals that news uses for their governments ("Moscow rejected", "demanding that
# Washington change"): the states most in international news. A capital is the state only
# where it acts; after "in" or "to" it is a place, which `actors.py` decides.
CAPITALS = {
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
