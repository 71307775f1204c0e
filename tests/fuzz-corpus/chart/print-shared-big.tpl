{{ $s := repeat 1000000 "a" }}{{ $l := list $s $s $s $s $s }}{{ $l }}{{ toYaml $l }}{{ toPrettyJson $l }}
