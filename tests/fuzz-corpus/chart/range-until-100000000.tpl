{{ range until 100000000 }}{{ end }}
