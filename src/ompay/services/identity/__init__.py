"""Identity: registration, sign-in, sessions, OTPs, PINs, users and the secrets they share."""
