"""The web edge: member portal, officer console and partner API (`create_app`)."""
