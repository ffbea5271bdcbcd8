script.on_init(function() log("sample-mod initialised") end)
