"""Campaign-as-code for Smartlead.ai."""

from __future__ import annotations

__version__ = "0.1.0"
