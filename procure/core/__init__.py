"""The pipeline from a request to an Order: each module imports only earlier stages, never click or an output format."""
