{{ $s := repeat 1000000 "a" }}{{ replace "" $s $s }}
