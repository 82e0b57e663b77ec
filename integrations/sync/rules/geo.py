"""Country and state names → ISO 3166 codes, for orgs with state and country picklists.

Free text such as "USA", "U.S.", "United States of America" or "Vereinigte Staaten" becomes
"US"; "Bavaria", "Bayern" or "BY" (in Germany) becomes "BY". Lookups accept ISO codes and the
English and German names pycountry ships (its gettext catalogues), ignoring case, accents,
dots and hyphens. A name that would fit two countries (or two states) is not guessed.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections.abc import Iterable
from functools import cache

import pycountry

LANGUAGES = ("en", "de")

# Everyday names ISO 3166 does not list.
COUNTRY_ALIASES = {
    "america": "US",
    "united states": "US",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "grossbritannien": "GB",
    "holland": "NL",
    "south korea": "KR",
    "sudkorea": "KR",
    "north korea": "KP",
    "russia": "RU",
    "russland": "RU",
    "czech republic": "CZ",
    "tschechien": "CZ",
    "turkey": "TR",
    "turkei": "TR",
    "vietnam": "VN",
}


class GeoError(ValueError):
    """A state or country value that cannot be turned into an ISO code."""


def country_code(value: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for a country code or name, or None when unknown."""
    key = _key(value)
    if not key:
        return None
    return _countries().get(key)


def state_code(value: str, country: str) -> str | None:
    """The state's code within its country ("CA" for US-CA), or None when unknown.

    `country` may be a code or a name. None as well when the country has no list of states.
    """
    code = country_code(country) if country else None
    key = _key(value)
    if code is None or not key:
        return None
    return _states(code).get(key)


def normalise_address(*, state: str | None, country: str | None) -> tuple[str | None, str | None]:
    """Both values as ISO codes (blank stays None); GeoError names the value that is wrong."""
    country_value = (country or "").strip()
    state_value = (state or "").strip()
    country_iso = country_code(country_value) if country_value else None
    if country_value and country_iso is None:
        raise GeoError(f"“{country_value}” is not a country we recognise.")
    if not state_value:
        return None, country_iso
    if country_iso is None:
        raise GeoError(f"The state “{state_value}” needs a country.")
    state_iso = state_code(state_value, country_iso)
    if state_iso is None:
        raise GeoError(f"“{state_value}” is not a state of {_country_name(country_iso)}.")
    return state_iso, country_iso


def _key(value: str | None) -> str:
    """Case-, accent- and punctuation-insensitive form of a name ("U.S." → "us")."""
    text = unicodedata.normalize("NFKD", str(value or "")).replace("ß", "ss")
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = re.sub(r"[.'’]", "", text)
    text = re.sub(r"[\s,()\-_/]+", " ", text).strip()
    return text.removeprefix("the ")


def _translations(domain: str) -> list[gettext.NullTranslations]:
    return [
        gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)
        for language in LANGUAGES
    ]


def _names(entry, domain: str) -> set[str]:
    """All spellings of one ISO entry: its names, their translations, and reordered forms."""
    names = {
        getattr(entry, attribute, None) for attribute in ("name", "official_name", "common_name")
    }
    names.discard(None)
    translated = {catalogue.gettext(name) for name in names for catalogue in _translations(domain)}
    names |= translated
    # "Korea, Republic of" is also written "Republic of Korea".
    names |= {" ".join(reversed(name.split(", ", 1))) for name in names if ", " in name}
    return {_key(name) for name in names}


def _unambiguous(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """key → code, leaving out keys that point to more than one code."""
    found: dict[str, str] = {}
    clashes: set[str] = set()
    for key, code in pairs:
        if found.setdefault(key, code) != code:
            clashes.add(key)
    return {key: code for key, code in found.items() if key not in clashes}


@cache
def _countries() -> dict[str, str]:
    by_name = _unambiguous(
        (name, country.alpha_2)
        for country in pycountry.countries
        for name in _names(country, "iso3166-1")
    )
    by_code = {}
    for country in pycountry.countries:
        by_code[_key(country.alpha_2)] = country.alpha_2
        by_code[_key(country.alpha_3)] = country.alpha_2
    return {**by_name, **COUNTRY_ALIASES, **by_code}


@cache
def _states(country: str) -> dict[str, str]:
    subdivisions = pycountry.subdivisions.get(country_code=country) or []
    by_name = _unambiguous(
        (name, subdivision.code.split("-", 1)[1])
        for subdivision in subdivisions
        for name in _names(subdivision, "iso3166-2")
    )
    by_code = {}
    for subdivision in subdivisions:
        short = subdivision.code.split("-", 1)[1]
        by_code[_key(short)] = short
        by_code[_key(subdivision.code)] = short
    return {**by_name, **by_code}


def _country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code
