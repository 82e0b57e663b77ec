"""A local emulator of the Salesforce REST API subset CRM Bridge uses, served over real HTTPS.

Pure Python (no Django), so tests and benchmarks can run it in a thread or a subprocess. It
follows Salesforce's documented shapes and error codes and is no more forgiving than
Salesforce. See `sandbox.Sandbox` for the Python API.
"""

from .emulator import Sandbox
from .oauth.service import SandboxCredentials

__all__ = ["Sandbox", "SandboxCredentials"]
