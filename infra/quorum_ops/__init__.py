"""Operations tooling for a deployed Quorum environment (the release command: `quorum-release`)."""
