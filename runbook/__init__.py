"""tiktok-runbook: the 'Connect TikTok Account' tutorial, automated against TikTok Business Center."""

__version__ = "0.1.0"
