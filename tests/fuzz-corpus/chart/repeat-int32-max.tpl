{{ repeat 2147483647 "ab" }}
