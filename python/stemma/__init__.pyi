from ._stemma import (
    DedupSketcher as DedupSketcher,
    __version__ as __version__,
    compare as compare,
    dedup as dedup,
    jaccard as jaccard,
    minhash as minhash,
    parse_date as parse_date,
    relations as relations,
    scan as scan,
    shingle_jaccard as shingle_jaccard,
    shingles as shingles,
)
