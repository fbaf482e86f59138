"""Export: what each brief reads and says, the blocks its notebook shows, HTML export, the batch
build and its manifest, the index page and the published tables."""
