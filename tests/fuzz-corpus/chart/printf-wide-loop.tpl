{{ range until 100000 }}{{ $x := printf "%65535d" 1 }}{{ end }}
