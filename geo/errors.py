"""Every error the geo core raises.

Each subclasses a built-in (``ValueError`` or ``LookupError``) so callers that
know nothing of carezones can still catch them, and each message says what
was expected and what arrived.
"""

from __future__ import annotations


class GeoError(ValueError):
    """Base class for invalid geographic input or data."""


class BoundaryFileError(GeoError):
    """A ward boundary file cannot be used; the message names the file and the problem."""


class CouncilConfigError(GeoError):
    """A council configuration file is inconsistent; the message names the file."""


class UnknownWardError(CouncilConfigError):
    """A ward name or code matches no ward; the message suggests the closest real wards."""

    def __init__(self, reference: str, suggestions: list[str], source: str) -> None:
        self.reference = reference
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"{source}: unknown ward {reference!r}.{hint}")


class CoordinateError(GeoError):
    """Coordinates that cannot be a place in Great Britain.

    ``field`` names the offending input field (``lat``, ``lon``, ``easting``,
    ``northing``) so the HTTP layer can point at it.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


class PostcodeFormatError(GeoError):
    """A string that is not a well-formed UK postcode."""


class PostcodeNotFoundError(LookupError):
    """A well-formed postcode that the offline table does not hold."""
