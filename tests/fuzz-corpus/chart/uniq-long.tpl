{{ until 100000 | uniq | len }}
