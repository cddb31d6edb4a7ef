"""Night service users, night plans and run sheets: the app layer over ``routing``."""
