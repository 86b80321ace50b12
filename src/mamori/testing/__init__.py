"""In-memory fakes of the ports, so services are tested without a database."""
