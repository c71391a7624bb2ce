"""The learned re-ranker: candidate features (features.py) and the shipped LightGBM LambdaRank model (model.py).

The model is trained by scripts/train_ranker.py on the training folds only and committed as
knowledge/data/ranker.lgb.txt; its hash is part of the index fingerprint."""
