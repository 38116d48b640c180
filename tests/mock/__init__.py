"""The mock Business Center itself: its API, its pages and its markup dialects (bare, mui, rerender)."""
