"""connect: one account's flow, many accounts at once, the owner's wait, the QR code's hand-off."""
