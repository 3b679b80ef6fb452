module slurmbench/selfreference

go 1.19
