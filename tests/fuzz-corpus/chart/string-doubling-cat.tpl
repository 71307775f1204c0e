{{ $s := "ab" }}{{ range until 40 }}{{ $s = cat $s $s }}{{ end }}
