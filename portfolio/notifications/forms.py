"""Forms for the notifications pages."""

from ..forms import ActionForm  # noqa: F401  (views import it from here)
