"""The words people are named with in news: titles and roles, nationalities (with the
country they stand for), and the words that show a capitalised run is not a person's
name. Lower case throughout; `candidates.py` looks words up here.
"""

from __future__ import annotations

__all__ = [
    "DEMONYMS",
    "FUNCTION_WORDS",
    "GOV_TITLES",
    "MIL_TITLES",
    "NAME_PARTICLES",
    "NOT_NAMES",
    "TITLES",
]

TITLES = frozenset(
    "minister president prime secretary general chancellor king queen prince emir sheikh "
    "ambassador deputy vice senator governor mayor chairman chairwoman chair director "
    "spokesman spokeswoman spokesperson commander chief envoy premier foreign defense "
    "defence interior finance state counterpart leader head speaker representative "
    "mr mrs ms dr gen col lt sgt capt sen rep gov pres coordinator commissioner rapporteur "
    "adviser advisor aide analyst professor researcher official officer lawyer attorney judge "
    "justice editor correspondent founder executive negotiator lawmaker "
    "congressman congresswoman spokesman spokeswoman supreme "
    "mullah mawlawi maulvi maulana ayatollah imam rabbi reverend rev cardinal archbishop "
    "bishop sir dame lord".split()
)
GOV_TITLES = frozenset(
    "minister president prime secretary chancellor king queen prince emir premier "
    "ambassador senator governor mayor envoy spokesman spokeswoman spokesperson counterpart".split()
)
MIL_TITLES = frozenset("general commander gen col lt sgt capt".split())
FUNCTION_WORDS = frozenset(
    "like but and or after before when while as if for with without during since although "
    "though because unlike under over about from by to of into despite among between both "
    "all some many most one two three four five several last next earlier later meanwhile "
    "however also still even only yet so then now there here what why how where which whose "
    "asked speaking according following amid this these those such another other every "
    "neither either given am six seven eight nine ten dozens hundreds".split()
)
NAME_PARTICLES = frozenset("von van der den de da du dos del la le bin ibn".split())
NOT_NAMES = frozenset(
    "league summit nations union council house ministry party army forces organization "
    "organisation bank fund company agency news times post committee parliament assembly "
    "republic kingdom federation government court university institute office day "
    "command department service commission authority embassy guard corps front movement "
    "alliance coalition association network social media press radio television airlines "
    "airport group center centre foundation program programme project state states "
    "islands island sea ocean gulf strait river lake desert mountains peninsula province "
    "region county district city square street north south east west new saint "
    "international national central islamic democratic force forces air navy police "
    "treaty agreement act law constitution watch rights initiative society board club "
    "ministerial conference forum dialogue session "
    "zeitung journal herald tribune gazette chronicle daily "
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december the a an in on at for his "
    "her their our we they he she it this that today".split()
)
DEMONYMS = {
    "russian": "RUS", "syrian": "SYR", "turkish": "TUR", "american": "USA", "u.s.": "USA",
    "chinese": "CHN", "french": "FRA", "german": "DEU", "british": "GBR", "iranian": "IRN",
    "iraqi": "IRQ", "israeli": "ISR", "palestinian": "PSE", "egyptian": "EGY",
    "saudi": "SAU", "jordanian": "JOR", "lebanese": "LBN", "ukrainian": "UKR",
    "indian": "IND", "pakistani": "PAK", "japanese": "JPN", "korean": "KOR",
    "italian": "ITA", "spanish": "ESP", "polish": "POL", "qatari": "QAT", "emirati": "ARE",
    "afghan": "AFG", "libyan": "LBY", "sudanese": "SDN", "yemeni": "YEM",
    "brazilian": "BRA", "mexican": "MEX", "canadian": "CAN", "australian": "AUS",
}  # fmt: skip
