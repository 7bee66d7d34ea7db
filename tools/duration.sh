# A --for budget as seconds, for tools/soak and tools/abtest (sourced).
# duration_s TEXT: minutes ("90"), or with a unit ("90s", "2h"); prints
# the seconds, or fails on anything else.
duration_s() {
	[[ $1 =~ ^([1-9][0-9]{0,5})([smh]?)$ ]] || return 1
	case ${BASH_REMATCH[2]} in
	s) echo "${BASH_REMATCH[1]}" ;;
	h) echo $((BASH_REMATCH[1] * 3600)) ;;
	*) echo $((BASH_REMATCH[1] * 60)) ;;
	esac
}
