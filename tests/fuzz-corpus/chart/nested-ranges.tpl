{{ range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}
