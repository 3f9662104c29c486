"""The local cloud: template.yaml provisioned on moto, handlers run in-process, an HTTP gateway."""
