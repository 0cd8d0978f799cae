import sys

import networkx as nx
import pandas as pd

out = sys.argv[1] if len(sys.argv) > 1 else "out"  # a folder written by cotag run or cotag merge

# Periods are labels: without dtype, a table whose periods are all years reads them as numbers.
pairs = pd.read_csv(f"{out}/cooccurrence.csv", dtype={"period": str})
entities = pd.read_csv(f"{out}/entities.csv", dtype={"period": str})

# The strongest country pairs: documents shared, at least 2, by NPMI.
countries = pairs.query("window == 'document' and type_a == 'country' and type_b == 'country'")
print(countries.query("documents >= 2").nlargest(10, "npmi")[["period", "name_a", "name_b", "count", "npmi"]])

# Mentions of each entity per period, one column per period.
print(entities.pivot_table(index="name", columns="period", values="mentions", aggfunc="sum", fill_value=0).head())

# The network: network.gexf (weights summed over periods) or one period of edges.csv.
G = nx.read_gexf(f"{out}/network.gexf")
print(sorted(G.degree(weight="weight"), key=lambda node: -node[1])[:10])
edges = pd.read_csv(f"{out}/edges.csv", dtype={"Period": str})
first = edges[edges.Period == edges.Period.iloc[0]]
H = nx.from_pandas_edgelist(first, "Source", "Target", edge_attr=["Weight", "Npmi"])
print(H.number_of_nodes(), "nodes,", H.number_of_edges(), "edges in period", edges.Period.iloc[0])
