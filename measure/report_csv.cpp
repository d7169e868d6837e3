/* messages.csv and occupancy.csv. */
#include <fstream>

#include "report.h"

namespace rpvp::measure {

bool write_csv(const std::string &dir, const Joined &j)
{
    std::ofstream m(dir + "/messages.csv");
    if (!m)
        return false;
    m << "id,kind,pipelined,src,dst,size,tx_desc,rx_desc";
    for (unsigned s = 0; s < NUM_STAMPS; s++)
        m << "," << stamp_name(s) << "_us";
    m << ",total_us\n";
    for (const Message &x : j.messages) {
        m << x.id << "," << x.kind << "," << (x.pipelined ? 1 : 0) << "," << x.src << "," << x.dst << "," << x.size << ","
          << x.tx_desc << "," << x.rx_desc;
        for (unsigned s = 0; s < NUM_STAMPS; s++) {
            m << ",";
            if (x.t[s] >= 0)
                m << us(x.t[s]);
        }
        m << "," << us(x.last() - x.first()) << "\n";
    }
    std::ofstream o(dir + "/occupancy.csv");
    if (!o)
        return false;
    o << "t_us,series,value,unit\n";
    for (const Series &s : j.series)
        for (const Point &p : s.pts)
            o << us(static_cast<int64_t>(p.t)) << "," << s.name << "," << p.v << "," << s.unit
              << "\n";
    return static_cast<bool>(m) && static_cast<bool>(o);
}

} // namespace rpvp::measure
