/** A five-node CVRPLIB instance, tab-separated like the X set, shared by the cvrp tests. */
export const TINY_VRP = `NAME : \tX-tiny\t
COMMENT : \t"four customers around a corner depot"\t
TYPE : \tCVRP\t
DIMENSION : \t5\t
EDGE_WEIGHT_TYPE : \tEUC_2D\t
CAPACITY : \t10\t
NODE_COORD_SECTION\t
1\t0\t0
2\t3\t4
3\t6\t8
4\t0\t7
5\t-1\t-1
DEMAND_SECTION\t
1\t0
2\t4
3\t5
4\t6
5\t3
DEPOT_SECTION\t
\t1\t
\t-1\t
EOF
`
