-- Run from the folder that holds out/ (one run) and parts/ (shard runs).
-- The strongest country pairs: documents shared, at least 2, by NPMI.
SELECT period, name_a, name_b, "count", npmi
FROM read_csv_auto('out/cooccurrence.csv', types = {'period': 'VARCHAR'})
WHERE "window" = 'document' AND type_a = 'country' AND type_b = 'country' AND documents >= 2
ORDER BY npmi DESC, name_a, name_b
LIMIT 10;

-- The most mentioned entities of each type.
SELECT type, name, sum(mentions) AS mentions, sum(documents) AS documents
FROM read_csv_auto('out/entities.csv', types = {'period': 'VARCHAR'})
GROUP BY type, name
QUALIFY row_number() OVER (PARTITION BY type ORDER BY sum(mentions) DESC, name) <= 5
ORDER BY type, mentions DESC, name;

-- Shard tables summed: counts add up, association measures do not
-- (cotag merge recomputes them, and writes every other table too).
SELECT "window", period, entity_a, entity_b, sum("count") AS "count", sum(documents) AS documents
FROM read_csv_auto('parts/*/cooccurrence.csv', types = {'period': 'VARCHAR'})
GROUP BY ALL
ORDER BY "window", period, "count" DESC, entity_a, entity_b;
