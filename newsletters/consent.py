"""The consent text a subscriber agrees to, versioned.

A consent record stores the version, not the text, so never edit a published
text in place: add a new version and point CONSENT_VERSION at it.
"""

CONSENT_TEXTS = {
    "2026-1": (
        "Jeg vil gerne have Beskæftigelsesnetværkets nyhedsbrev med nyt fra de "
        "arbejdsområder, jeg har valgt. Min e-mailadresse bruges kun til nyhedsbrevet. "
        "Jeg kan altid ændre mine valg, holde pause eller afmelde mig via linket i hver mail."
    ),
}
CONSENT_VERSION = "2026-1"


def consent_text(version: str = CONSENT_VERSION) -> str:
    return CONSENT_TEXTS.get(version, "")
