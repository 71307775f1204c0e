{{ $s := "ab" }}{{ range until 40 }}{{ $s = printf "%s%s" $s $s }}{{ end }}
