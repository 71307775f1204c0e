{{ $l := list }}{{ range until 100000 }}{{ $l = list $l }}{{ end }}{{ toJson $l }}{{ $l }}
