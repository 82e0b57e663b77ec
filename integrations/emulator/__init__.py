"""A local emulator of the Salesforce REST API subset CRM Bridge uses, served over real HTTPS.

Pure Python (no Django), so tests and benchmarks can run it in a thread or a subprocess. It
follows Salesforce's documented shapes and error codes and is no more forgiving than
Salesforce. See `emulator.Emulator` for the Python API.
"""

from .emulator import Emulator
from .oauth.service import EmulatorCredentials

__all__ = ["Emulator", "EmulatorCredentials"]
