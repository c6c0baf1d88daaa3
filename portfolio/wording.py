"""Plain-English counts: "1 candidate", "3 candidates", "0 signed off"."""

from __future__ import annotations

# Nouns whose plural is not the singular plus "s".
IRREGULAR = {"entry": "entries", "person": "people", "reply": "replies", "is": "are",
             "was": "were", "has": "have"}


def plural_of(word: str) -> str:
    if word in IRREGULAR:
        return IRREGULAR[word]
    *head, last = word.split(" ")
    if head:  # "coach developer" -> "coach developers", "row has" stays the caller's job
        return " ".join([*head, plural_of(last)])
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def plural(count: int, singular: str, many: str | None = None) -> str:
    """'1 candidate', '2 candidates'; pass `many` when the plural is irregular."""
    return f"{count} {singular if count == 1 else (many or plural_of(singular))}"


def counts_in_words(*parts: tuple[int, str], nothing: str = "none") -> str:
    """Join the non-zero counts: ((2, "signed off"), (0, "not yet")) -> "2 signed off"."""
    said = [f"{count} {label}" for count, label in parts if count]
    if not said:
        return nothing
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
